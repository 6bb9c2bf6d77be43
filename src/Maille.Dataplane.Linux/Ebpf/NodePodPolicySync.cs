namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>What one <see cref="NodePodPolicy.Sync"/> did: whether it wrote the maps whole, the writes, and the error when the kernel refused one.</summary>
public sealed record NodePodPolicySync
{
    public required bool Full { get; init; }

    /// <summary>Map writes and deletes sent to the kernel (0: nothing changed).</summary>
    public int CommandCount { get; init; }

    public TimeSpan ApplyDuration { get; init; }

    /// <summary>Flows forgotten because the new plan denies them (only when asked to flush).</summary>
    public int FlushedFlows { get; init; }

    public string? Error { get; init; }
}
