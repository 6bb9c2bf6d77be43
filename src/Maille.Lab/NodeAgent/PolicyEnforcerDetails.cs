namespace Maille.Lab.NodeAgents;

/// <summary>What a node's NetworkPolicy table holds (<see cref="NodePolicyEnforcer"/>).</summary>
public sealed record PolicyEnforcerDetails : NodePartDetails
{
    /// <summary>The NetworkPolicies of the state this table was last written from (every namespace's, not only this node's pods').</summary>
    public int PolicyCount { get; init; }

    public int IngressIsolatedPods { get; init; }

    public int EgressIsolatedPods { get; init; }

    /// <summary>Policy chains (one per isolation group), their rules, peer and named-port sets, and set elements.</summary>
    public int Chains { get; init; }

    public int Rules { get; init; }

    public int Sets { get; init; }

    public int Elements { get; init; }

    /// <summary>Named counters: one per policy rule that some local pod's chain uses.</summary>
    public int Counters { get; init; }

    /// <summary>Connections cut by <see cref="NodePolicyEnforcerOptions.FlushDeniedConnections"/>, since start.</summary>
    public long FlushedConnections { get; init; }
}
