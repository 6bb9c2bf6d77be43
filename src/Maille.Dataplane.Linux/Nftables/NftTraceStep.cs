namespace Maille.Dataplane.Linux.Nftables;

/// <summary>A rule that matched on the way: its chain, its position (from 1) and its text.</summary>
internal sealed record NftTraceStep(string Chain, int Rule, string Text)
{
    public override string ToString() => $"{Chain}#{Rule}: {Text}";
}
