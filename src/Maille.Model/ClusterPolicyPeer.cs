namespace Maille.Model;

/// <summary>
/// One entry of a ClusterNetworkPolicy rule's <c>from</c>/<c>to</c>; exactly one field is set in valid input.
/// Namespaces and pods select pods (never hostNetwork ones); nodes select node addresses; networks select addresses,
/// pod addresses included. <see cref="DomainNames"/> is kept only so that validation can refuse it (see
/// docs/cluster-network-policy.md).
/// </summary>
public sealed record ClusterPolicyPeer
{
    public LabelSelector? Namespaces { get; init; }

    public NamespacedPodSelector? Pods { get; init; }

    public LabelSelector? Nodes { get; init; }

    public EquatableArray<IpBlock> Networks { get; init; } = EquatableArray<IpBlock>.Empty;

    public EquatableArray<string> DomainNames { get; init; } = EquatableArray<string>.Empty;
}
