using System.Net;
using Maille.Model;

namespace Maille.Engine.Flows;

/// <summary>
/// One connection a node saw: protocol, the client's address and port, and the destination as the pod receives it
/// (after any Service DNAT: the endpoint's address and port), with the address the client sent to when that differs.
/// </summary>
/// <param name="Node">The node whose data plane saw it.</param>
/// <param name="State">The kernel's state of the connection (TCP's <c>ESTABLISHED</c>, <c>TIME_WAIT</c>, …), when known.</param>
/// <param name="SeenAt">When it was seen, when the source knows (the conntrack table does not).</param>
public sealed record RecentFlow(
    string Node,
    Protocol Protocol,
    IPAddress Source,
    int SourcePort,
    IPAddress Destination,
    int Port,
    IPAddress? SentTo,
    int? SentToPort,
    string? State,
    DateTimeOffset? SeenAt);
