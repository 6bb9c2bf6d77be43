using System.Net;
using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// The desired service data plane of one node, as a value: equal plans program equal rules, so "nothing changed" is
/// one <see cref="object.Equals(object)"/>. Made by <see cref="ServiceProxyPlanner"/>. Backend-neutral: kube-proxy's
/// decisions per Service port, with no name, chain, map or limit of a data plane (the nftables table is made from it
/// by Maille.Dataplane.Nftables' <c>ServiceRulesetBuilder</c>).
/// </summary>
public sealed record NodeServicePlan
{
    public required string NodeName { get; init; }

    /// <summary>The node's address on the node network, where its NodePorts are captured; null when it has none.</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>The pods' network: ClusterIP traffic from a source inside it (a pod) is not masqueraded.</summary>
    public required IPNetwork ClusterCidr { get; init; }

    /// <summary>
    /// This node's pods (its pod CIDR; null when it has none): they reach an external address of a Service with the
    /// Cluster policy whatever its externalTrafficPolicy (kube-proxy's "short-circuit pod traffic", with
    /// <c>--detect-local-mode=NodeCIDR</c>). A pod of another node arrives as any client from outside does: with its
    /// own node's rules not capturing a NodePort of this node, the reply of an endpoint it were sent to unmasqueraded
    /// would bypass this node and never reach it.
    /// </summary>
    public IPNetwork? LocalPodCidr { get; init; }

    /// <summary>The Service CIDR: an address inside it that no Service has is dropped.</summary>
    public required IPNetwork ServiceCidr { get; init; }

    /// <summary>
    /// ClusterIP traffic is translated at the sockets of the node's processes (the ebpf data plane's connect/sendmsg
    /// hooks), before any packet exists, and so is external traffic (NodePort, LoadBalancer IPs, externalIPs): at the
    /// socket from the node's processes, at tc on the node's interface from outside. A per-packet data plane then only
    /// rejects external addresses without endpoints, enforces <c>loadBalancerSourceRanges</c> (translating those
    /// LoadBalancer IPs) and drops a packet that still carries a ClusterIP. Set by the node's data plane, never by the
    /// planner: which endpoints a connection may use does not change.
    /// </summary>
    public bool ClusterIPAtSocket { get; init; }

    /// <summary>Every Service port that gets rules, ordered by <see cref="ServicePortId"/> text.</summary>
    public required EquatableArray<ServicePortPlan> Ports { get; init; }
}
