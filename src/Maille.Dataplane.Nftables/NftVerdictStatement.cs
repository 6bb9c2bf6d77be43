namespace Maille.Dataplane.Nftables;

/// <summary>A plain verdict: <c>drop</c>, <c>jump mark-for-masquerade</c>, <c>goto reject-chain</c>.</summary>
internal sealed record NftVerdictStatement(NftVerdict Verdict) : NftStatement
{
    public override string Text => Verdict.ToString();
}
