namespace Maille.Dataplane.Nftables;

/// <summary>
/// <c>reject with tcp reset</c> (<see cref="TcpReset"/>), <c>reject</c> (ICMP port unreachable), or with
/// <see cref="IcmpType"/> an ICMP error of that type (<c>reject with icmp admin-prohibited</c>).
/// </summary>
internal sealed record NftRejectStatement(bool TcpReset, string? IcmpType = null) : NftStatement
{
    public override string Text => TcpReset ? "reject with tcp reset" : IcmpType is { } type ? $"reject with icmp {type}" : "reject";
}
