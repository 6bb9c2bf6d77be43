namespace Maille.Lab.Policy;

/// <summary>What a <see cref="NodePolicyEnforcer"/> reports, serialised as is by the lab API.</summary>
internal sealed record NodePolicyEnforcerStatus
{
    /// <summary>Syncs the kernel accepted, including those with nothing to change.</summary>
    public int Syncs { get; init; }

    public int FailedSyncs { get; init; }

    /// <summary>Plan, render, apply (and conntrack flush) of the last accepted sync.</summary>
    public double LastSyncMilliseconds { get; init; }

    /// <summary>The part of the last sync spent in libnftables (parse and kernel).</summary>
    public double LastApplyMilliseconds { get; init; }

    public bool LastSyncWasFull { get; init; }

    /// <summary>nftables commands in the last accepted transaction (0: nothing changed).</summary>
    public int LastCommandCount { get; init; }

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
    public int FlushedConnections { get; init; }

    /// <summary>The last failure (nft's own message), or null after a successful sync.</summary>
    public string? LastError { get; init; }
}
