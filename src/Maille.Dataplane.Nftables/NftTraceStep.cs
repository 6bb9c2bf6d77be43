namespace Maille.Dataplane.Nftables;

/// <summary>
/// A rule that matched on the way: its chain, its position (from 1) and its text. For a rule that looked the packet up
/// in an object map (<see cref="NftCounterMapStatement"/>), <see cref="Element"/> is the element it found
/// (<c>198.19.2.2 . tcp . 80 : "ingress/x/allow/0"</c>). <see cref="Counter"/> is the named counter the rule counted
/// into (<c>ingress/x/allow/0</c>, from the rule's text or from the element), null when none.
/// </summary>
public sealed record NftTraceStep(string Chain, int Rule, string Text, string? Element = null, string? Counter = null)
{
    public override string ToString() => Element is null ? $"{Chain}#{Rule}: {Text}" : $"{Chain}#{Rule}: {Text} [element {Element}]";
}
