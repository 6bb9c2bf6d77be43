namespace Maille.Model;

/// <summary>
/// A ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, cluster-scoped), or a v1alpha1 AdminNetworkPolicy or
/// BaselineAdminNetworkPolicy read onto the same shape (<see cref="SourceKind"/> says which). Rules are kept in the
/// order written: within a policy, that order is their precedence.
/// </summary>
public sealed record ClusterNetworkPolicy
{
    public required ObjectMeta Meta { get; init; }

    public ClusterPolicyTier Tier { get; init; }

    /// <summary>0 to 1000; lower wins within the tier.</summary>
    public int Priority { get; init; }

    public ClusterPolicySubject Subject { get; init; } = new();

    public EquatableArray<ClusterPolicyRule> Ingress { get; init; } = EquatableArray<ClusterPolicyRule>.Empty;

    public EquatableArray<ClusterPolicyRule> Egress { get; init; } = EquatableArray<ClusterPolicyRule>.Empty;

    /// <summary>The kind the input wrote: ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy.</summary>
    public string SourceKind { get; init; } = PolicyApi.ClusterNetworkPolicyKind;

    public string Name => Meta.Name;

    public EquatableArray<ClusterPolicyRule> RulesFor(PolicyDirection direction) =>
        direction == PolicyDirection.Ingress ? Ingress : Egress;
}
