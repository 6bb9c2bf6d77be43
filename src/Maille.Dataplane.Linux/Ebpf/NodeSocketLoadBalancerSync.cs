using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>What one <see cref="NodeSocketLoadBalancer.Sync"/> did: the plan it applied (null when the kernel refused), the writes, the counts.</summary>
public sealed record NodeSocketLoadBalancerSync
{
    public required NodeServicePlan? Plan { get; init; }

    public required bool Full { get; init; }

    /// <summary>Map writes and deletes sent to the kernel (0: nothing changed).</summary>
    public int CommandCount { get; init; }

    /// <summary>Planning the map writes from the plan (pure).</summary>
    public TimeSpan PrepareDuration { get; init; }

    /// <summary>Writing them (and, for a full sync, deleting what else the maps hold).</summary>
    public TimeSpan ApplyDuration { get; init; }

    public string? Error { get; init; }

    public int ServicePortCount { get; init; }

    public int BackendCount { get; init; }

    public int NamespaceCount { get; init; }
}
