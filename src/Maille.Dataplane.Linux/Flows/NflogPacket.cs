using System.Net;

namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// A packet a <c>log group N</c> rule handed to nfnetlink_log: the rule's <see cref="Prefix"/>, the IPv4 header's
/// addresses and protocol, and the transport ports when the copy holds them (0 otherwise), with the instance's
/// <see cref="Sequence"/> number when it was asked for (a gap means the kernel could not deliver packets in between).
/// </summary>
public sealed record NflogPacket(string Prefix, byte Protocol, IPAddress Source, ushort SourcePort, IPAddress Destination, ushort DestinationPort, uint? Sequence);
