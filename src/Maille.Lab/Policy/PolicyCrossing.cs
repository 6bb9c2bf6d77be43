using System.Net;

namespace Maille.Lab.Policy;

/// <summary>
/// One node's forward hook that judges a connection's first packet: the node, and the addresses it sees there (after
/// Service DNAT; before masquerade on that node, after it on the nodes further on).
/// </summary>
public sealed record PolicyCrossing(string Node, IPAddress Source, IPAddress Destination);
