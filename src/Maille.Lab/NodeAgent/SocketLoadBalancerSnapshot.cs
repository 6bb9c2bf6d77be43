using Maille.Engine.ServiceProxy;

namespace Maille.Lab.NodeAgents;

/// <summary>What a node's socket load balancer last applied, as one value: the plan its maps hold and the counts.</summary>
public sealed record SocketLoadBalancerSnapshot(NodeServicePlan Plan, SocketLoadBalancerDetails Details);
