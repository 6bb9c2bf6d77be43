namespace Maille.Model;

/// <summary>
/// Where a ClusterNetworkPolicy sits in the evaluation order: the Admin tier before NetworkPolicy v1, the Baseline tier
/// after it.
/// </summary>
public enum ClusterPolicyTier
{
    Admin,
    Baseline,
}
