namespace Maille.Lab.NodeAgents;

/// <summary>How a <see cref="NodeAgent"/> runs each of its parts.</summary>
public sealed record NodeAgentOptions
{
    /// <summary>
    /// The Service proxy coalesces bursts (a readiness flip on many pods) at most every 50 ms, and writes its whole
    /// table again every hour, as kube-proxy's nftables backend does: that rewrite forgets the session-affinity entries
    /// and costs seconds at 10,000 Services, so the minute the small tables get would cost a lab's users too much.
    /// </summary>
    public NodePartRunnerOptions Services { get; init; } = new() { FullSyncInterval = ServiceFullSyncInterval };

    /// <summary>kube-proxy's nftables full-sync period.</summary>
    public static readonly TimeSpan ServiceFullSyncInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// Policy has no minimum interval: a change is applied as soon as the previous sync ends (a lab's API answers a
    /// change once its policy is in the kernel, see <see cref="NodeAgent.WhenSyncedAsync"/>).
    /// </summary>
    public NodePartRunnerOptions Policy { get; init; } = new() { MinInterval = TimeSpan.Zero };

    /// <summary>LoadBalancer addresses move as soon as the election does (a failover is timed in milliseconds).</summary>
    public NodePartRunnerOptions LoadBalancer { get; init; } = new() { MinInterval = TimeSpan.Zero };

    /// <summary>The same full-sync interval for every part (tests shorten it to watch drift repaired).</summary>
    public NodeAgentOptions WithFullSyncInterval(TimeSpan interval) => this with
    {
        Services = Services with { FullSyncInterval = interval },
        Policy = Policy with { FullSyncInterval = interval },
        LoadBalancer = LoadBalancer with { FullSyncInterval = interval },
    };
}
