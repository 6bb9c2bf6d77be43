namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>What one <see cref="NodePodPolicy.Sync(Maille.Engine.ClusterState, bool, bool)"/> did: whether it wrote the maps whole, the writes, and the error when the kernel refused one.</summary>
public sealed record NodePodPolicySync
{
    public required bool Full { get; init; }

    /// <summary>Map writes and deletes sent to the kernel (0: nothing changed).</summary>
    public int CommandCount { get; init; }

    /// <summary>Planning the map writes from the node's plan (pure).</summary>
    public TimeSpan PrepareDuration { get; init; }

    /// <summary>Writing them (and, for a full sync, deleting what else the maps hold).</summary>
    public TimeSpan ApplyDuration { get; init; }

    /// <summary>Flows forgotten because the new plan denies them (only when asked to flush).</summary>
    public int FlushedFlows { get; init; }

    public string? Error { get; init; }
}
