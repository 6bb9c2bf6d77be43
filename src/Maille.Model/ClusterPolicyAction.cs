namespace Maille.Model;

/// <summary>What a ClusterNetworkPolicy rule does with the traffic it matches.</summary>
public enum ClusterPolicyAction
{
    /// <summary>Allowed, and no later rule of this direction (any tier, NetworkPolicy included) is consulted.</summary>
    Accept,

    /// <summary>Dropped, and no later rule is consulted.</summary>
    Deny,

    /// <summary>The rest of this tier is skipped: NetworkPolicy v1, then the Baseline tier, decide.</summary>
    Pass,
}
