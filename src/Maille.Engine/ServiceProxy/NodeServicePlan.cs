using System.Net;
using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// The desired service data plane of one node, as a value: equal plans program equal rules, so "nothing changed" is
/// one <see cref="object.Equals(object)"/>. Made by <see cref="ServiceProxyPlanner"/>. Backend-neutral: kube-proxy's
/// decisions per Service port, with no name, chain, map or limit of a data plane (the nftables table is made from it
/// by Maille.Dataplane.Nftables' <c>ServiceRulesetBuilder</c>).
/// </summary>
internal sealed record NodeServicePlan
{
    public required string NodeName { get; init; }

    /// <summary>The node's address on the node network, where its NodePorts are captured; null when it has none.</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>The pods' network: sources inside it are pods (no masquerade for ClusterIP traffic, short-circuit for external).</summary>
    public required IPNetwork ClusterCidr { get; init; }

    /// <summary>The Service CIDR: an address inside it that no Service has is dropped.</summary>
    public required IPNetwork ServiceCidr { get; init; }

    /// <summary>Every Service port that gets rules, ordered by <see cref="ServicePortId"/> text.</summary>
    public required EquatableArray<ServicePortPlan> Ports { get; init; }
}
