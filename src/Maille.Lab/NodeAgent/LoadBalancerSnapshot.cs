using System.Net;
using Maille.Engine.LoadBalancing;
using Maille.Model;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a node's L2 announcer last did, as one value: the election it acted on (with the reason for each address
/// nobody announces) and the addresses this node answers for.
/// </summary>
public sealed record LoadBalancerSnapshot(IReadOnlyList<L2Announcement> Election, EquatableArray<IPAddress> Addresses, LoadBalancerDetails Details);
