namespace Maille.Engine.NetworkPolicies;

/// <summary>Which step of the evaluation order decided one direction of a connection.</summary>
public enum DecidingTier
{
    /// <summary>A ClusterNetworkPolicy of the Admin tier accepted or denied it.</summary>
    Admin,

    /// <summary>NetworkPolicy v1: the pod is isolated in this direction, so its policies decided.</summary>
    NetworkPolicy,

    /// <summary>A ClusterNetworkPolicy of the Baseline tier accepted or denied it.</summary>
    Baseline,

    /// <summary>Nothing matched: Kubernetes' default, allowed (also an external endpoint, which has no policy side).</summary>
    Default,
}
