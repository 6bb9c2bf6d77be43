using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Pods that every policy treats alike: same namespace (hence namespace labels), same pod labels, same named ports,
/// and the same membership in every ipBlock and ClusterNetworkPolicy network any policy names. ClusterNetworkPolicy
/// subjects and pod peers select by namespace and pod labels only, which the key already holds. The evaluator decides per pair of classes and applies
/// the answer to every pair of member pods. <see cref="Representative"/> is the member decisions are computed on.
/// </summary>
public sealed record PodClass(
    int Id,
    Pod Representative,
    Labels NamespaceLabels,
    ImmutableArray<NetworkPolicy> IngressPolicies,
    ImmutableArray<NetworkPolicy> EgressPolicies)
{
    /// <summary>The Admin-tier ClusterNetworkPolicies whose subject is this class, in evaluation order (priority, then name).</summary>
    public ImmutableArray<ClusterNetworkPolicy> AdminPolicies { get; init; } = [];

    /// <summary>The Baseline-tier ClusterNetworkPolicies whose subject is this class, in evaluation order.</summary>
    public ImmutableArray<ClusterNetworkPolicy> BaselinePolicies { get; init; } = [];

    /// <summary>The names of <see cref="IngressPolicies"/>, computed once.</summary>
    public ImmutableArray<string> IngressIsolatedBy { get; } = [.. IngressPolicies.Select(p => p.QualifiedName)];

    /// <summary>The names of <see cref="EgressPolicies"/>, computed once.</summary>
    public ImmutableArray<string> EgressIsolatedBy { get; } = [.. EgressPolicies.Select(p => p.QualifiedName)];

    public bool Equals(PodClass? other) => other is not null && Id == other.Id;

    public override int GetHashCode() => Id;
}
