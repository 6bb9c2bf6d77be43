namespace Maille.Lab.NodeAgents;

/// <summary>
/// When a <see cref="NodePartRunner"/> syncs its part (kube-proxy's <c>BoundedFrequencyRunner</c>: a minimum and a
/// maximum interval, and retry with backoff). Validated when the runner starts.
/// </summary>
public sealed record NodePartRunnerOptions
{
    /// <summary>
    /// Syncs start at most this often; requests in between are folded into one sync of the latest state (kube-proxy's
    /// <c>minSyncPeriod</c>). A request after a quiet spell longer than this runs at once, so the interval never delays
    /// the first change: it only bounds bursts. Zero syncs every request as soon as the previous sync ends.
    /// </summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The longest a part goes without a full sync: the whole desired state written again, whatever the part believes
    /// the kernel holds, so that a table deleted or changed behind the agent's back is repaired (kube-proxy's periodic
    /// full resync, an hour with nftables; a lab is small and wants drift repaired while someone watches, hence a minute).
    /// </summary>
    public TimeSpan FullSyncInterval { get; init; } = DefaultFullSyncInterval;

    /// <summary>After a failed sync, the next try comes this long after; each further failure doubles it.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The backoff after failures never grows past this.</summary>
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultFullSyncInterval = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (MinInterval < TimeSpan.Zero || RetryInterval <= TimeSpan.Zero || MaxRetryInterval < RetryInterval || FullSyncInterval <= MinInterval)
        {
            throw new ArgumentException($"node part runner: needs MinInterval >= 0, RetryInterval > 0, MaxRetryInterval >= RetryInterval and FullSyncInterval > MinInterval ({this})");
        }
    }
}
