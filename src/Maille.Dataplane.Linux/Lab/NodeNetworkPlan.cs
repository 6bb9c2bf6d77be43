using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>A node's namespace: <c>eth0</c> on the underlay, a default route to the underlay gateway, and routes to the other nodes' pod CIDRs.</summary>
public sealed record NodeNetworkPlan
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>This node's port on the underlay bridge (in the underlay namespace).</summary>
    public required string UnderlayInterface { get; init; }

    public required IPAddress Address { get; init; }

    public required int PrefixLength { get; init; }

    public required IPNetwork PodCidr { get; init; }

    /// <summary>
    /// For every other node: <c>podCIDR via nodeIP dev eth0</c> (routed mode), or
    /// <c>podCIDR via vxlanAddress dev vxlan0 onlink</c> (VXLAN mode).
    /// </summary>
    public required EquatableArray<NodeRoute> Routes { get; init; }

    /// <summary>VXLAN mode: this node's address on <c>vxlan0</c> (its pod CIDR's first address); null when routed.</summary>
    public IPAddress? VxlanAddress { get; init; }

    /// <summary>VXLAN mode: the other nodes' IPs, each a flooding FDB entry on <c>vxlan0</c>.</summary>
    public EquatableArray<IPAddress> VxlanPeers { get; init; } = EquatableArray<IPAddress>.Empty;
}
