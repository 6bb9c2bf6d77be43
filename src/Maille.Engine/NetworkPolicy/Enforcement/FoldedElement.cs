using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One box of a folded policy chain (<see cref="FoldedChain"/>): a packet whose peer address (the source for ingress,
/// the destination for egress), IP protocol number and destination port fall in it, and that no box tried before
/// holds, is allowed by <see cref="Rule"/>, the first rule of the chain that matches it. Boxes of one list never
/// overlap.
/// </summary>
public readonly record struct FoldedElement(AddressRange Peers, int FirstProtocol, int LastProtocol, PortRange Ports, PolicyRuleId Rule)
{
    public bool Contains(uint peer, int protocol, int port) =>
        Peers.Contains(peer) && FirstProtocol <= protocol && protocol <= LastProtocol && Ports.First <= port && port <= Ports.Last;

    /// <summary>The protocol part as nftables reads it: <c>tcp</c>, <c>udp</c>, <c>sctp</c>, another number, or a range <c>0-255</c>.</summary>
    public string ProtocolText => FirstProtocol == LastProtocol
        ? IpProtocols.Name(FirstProtocol)
        : string.Create(CultureInfo.InvariantCulture, $"{FirstProtocol}-{LastProtocol}");
}
