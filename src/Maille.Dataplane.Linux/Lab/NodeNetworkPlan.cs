using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>A node's namespace: <c>eth0</c> on the underlay, a default route to the underlay gateway, and routes to the other nodes' pod CIDRs.</summary>
internal sealed record NodeNetworkPlan
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>This node's port on the underlay bridge (in the underlay namespace).</summary>
    public required string UnderlayInterface { get; init; }

    public required IPAddress Address { get; init; }

    public required int PrefixLength { get; init; }

    public required IPNetwork PodCidr { get; init; }

    /// <summary><c>podCIDR via nodeIP</c> for every other node (routed mode).</summary>
    public required EquatableArray<NodeRoute> Routes { get; init; }
}
