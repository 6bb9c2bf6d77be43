namespace Maille.Dataplane.Linux.Nftables;

/// <summary><c>reject with tcp reset</c> (<see cref="TcpReset"/>) or <c>reject</c> (ICMP port unreachable).</summary>
internal sealed record NftRejectStatement(bool TcpReset) : NftStatement
{
    public override string Text => TcpReset ? "reject with tcp reset" : "reject";
}
