namespace Maille.Model;

/// <summary>
/// Names of the network-policy API (<c>policy.networking.k8s.io</c>): ClusterNetworkPolicy (v1alpha2) and the two
/// v1alpha1 kinds it replaced, which Maille reads onto the same model.
/// </summary>
public static class PolicyApi
{
    public const string Group = "policy.networking.k8s.io";

    public const string ClusterNetworkPolicyKind = "ClusterNetworkPolicy";

    public const string AdminNetworkPolicyKind = "AdminNetworkPolicy";

    public const string BaselineAdminNetworkPolicyKind = "BaselineAdminNetworkPolicy";

    /// <summary>A ClusterNetworkPolicy's rules may not number more than this per direction.</summary>
    public const int MaxRules = 25;

    /// <summary>The highest priority value (the lowest precedence); 0 is the highest precedence.</summary>
    public const int MaxPriority = 1000;
}
