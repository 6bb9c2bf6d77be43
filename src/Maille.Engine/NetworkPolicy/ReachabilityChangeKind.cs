namespace Maille.Engine.NetworkPolicies;

/// <summary>Which way a connection changed between two reachability matrices.</summary>
public enum ReachabilityChangeKind
{
    /// <summary>Denied (or impossible: a pod absent) in the current set, allowed in the candidate.</summary>
    Gained,

    /// <summary>Allowed in the current set, denied (or impossible) in the candidate.</summary>
    Lost,
}
