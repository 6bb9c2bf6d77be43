namespace Maille.Dataplane.Nftables;

/// <summary>
/// A base chain's hook: <c>type nat hook output priority -100</c>. Priorities are numbers: nftables 1.0.6 refuses the
/// name <c>dstnat</c> on a nat chain hooked to output.
/// </summary>
public sealed record NftHook(string Type, string Hook, int Priority)
{
    public const int DestinationNatPriority = -100;
    public const int SourceNatPriority = 100;

    public string Text => $"type {Type} hook {Hook} priority {Priority}; policy accept;";
}
