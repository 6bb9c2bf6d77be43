using System.Net;

namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// A new connection conntrack confirmed (a ctnetlink <c>IPCTNL_MSG_CT_NEW</c> event): its original tuple, as the client
/// sent it, and its reply tuple, as the answer will come back. A Service's translation shows in the reply: the reply
/// comes from the endpoint (<see cref="ReplySource"/>:<see cref="ReplySourcePort"/>), not from the ClusterIP the client
/// addressed (<see cref="Destination"/>:<see cref="DestinationPort"/>). Ports are 0 for protocols without them.
/// </summary>
public sealed record ConntrackEvent(
    byte Protocol,
    IPAddress Source,
    ushort SourcePort,
    IPAddress Destination,
    ushort DestinationPort,
    IPAddress ReplySource,
    ushort ReplySourcePort,
    IPAddress ReplyDestination,
    ushort ReplyDestinationPort)
{
    /// <summary>The destination was translated (DNAT: a Service, a NodePort, a LoadBalancer address).</summary>
    public bool Translated => !ReplySource.Equals(Destination) || ReplySourcePort != DestinationPort;
}
