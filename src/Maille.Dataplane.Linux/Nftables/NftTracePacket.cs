using System.Net;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>The first packet of a connection, as the tracer follows it: addresses, protocol (tcp, udp, sctp), port, entry.</summary>
internal sealed record NftTracePacket(IPAddress Source, IPAddress Destination, string Protocol, int DestinationPort, NftIngress Ingress);
