using System.Net;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// A packet as the tracer follows it: addresses, protocol (tcp, udp, sctp), port, entry, and its conntrack state
/// (<c>new</c> for the first packet of a connection, <c>established</c> for a later one or a reply, <c>related</c>
/// for an ICMP error about one).
/// </summary>
public sealed record NftTracePacket(IPAddress Source, IPAddress Destination, string Protocol, int DestinationPort, NftIngress Ingress, string ConntrackState = "new");
