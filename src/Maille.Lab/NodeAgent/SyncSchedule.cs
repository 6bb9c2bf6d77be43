namespace Maille.Lab.NodeAgents;

/// <summary>
/// The decisions of a <see cref="NodePartRunner"/>, as a value with no clock and no thread of its own, so that every
/// rule can be tested by handing it times: when the next sync starts, whether it is full, and how long to wait
/// otherwise. Not thread-safe; the runner calls it under its lock.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A request runs at once when the last sync started at least <see cref="NodePartRunnerOptions.MinInterval"/>
/// ago, else at that moment; requests meanwhile are one sync of the latest state (coalescing).</item>
/// <item>A full sync is due <see cref="NodePartRunnerOptions.FullSyncInterval"/> after the last full one, requested
/// or not (drift repair). Any full sync, the first included, restarts that clock.</item>
/// <item>After a failure the part is tried again after <see cref="NodePartRunnerOptions.RetryInterval"/>, doubled at
/// each further failure up to <see cref="NodePartRunnerOptions.MaxRetryInterval"/>. A new request does not wait for the
/// backoff: a new state may be what repairs the failure, and only the minimum interval bounds it.</item>
/// <item>Nothing runs before the first request (there is no state to sync), nor while paused.</item>
/// </list>
/// </remarks>
internal sealed class SyncSchedule(NodePartRunnerOptions options)
{
    private DateTimeOffset? _lastStart;
    private DateTimeOffset? _lastFull;
    private DateTimeOffset? _retryAt;

    public long RequestedGeneration { get; private set; }

    /// <summary>The generation the last finished sync covered, successful or not.</summary>
    public long SyncedGeneration { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public bool Paused { get; set; }

    /// <summary>When a retry is due after a failure (null when the last sync worked).</summary>
    public DateTimeOffset? RetryAt => _retryAt;

    /// <summary>Records a request for the latest state; returns its generation. True in <c>coalesced</c> when an earlier request still waited.</summary>
    public long Request(out bool coalesced)
    {
        coalesced = RequestedGeneration > SyncedGeneration;
        return ++RequestedGeneration;
    }

    public SyncDecision Next(DateTimeOffset now)
    {
        if (Paused || RequestedGeneration == 0)
        {
            return SyncDecision.WaitFor(Timeout.InfiniteTimeSpan);
        }

        var fullAt = _lastFull is { } full ? full + options.FullSyncInterval : now;
        var requested = RequestedGeneration > SyncedGeneration;
        var earliest = _lastStart is { } start ? start + options.MinInterval : now;
        var dueAt = Min(requested ? earliest : null, _retryAt is { } retry ? Max(retry, earliest) : null, Max(fullAt, earliest));
        return dueAt <= now ? SyncDecision.Sync(full: fullAt <= now) : SyncDecision.WaitFor(dueAt - now);
    }

    /// <summary>The next sync is full, whenever it comes (a node that comes back: whatever happened meanwhile is repaired).</summary>
    public void ForceFull() => _lastFull = null;

    /// <summary>A sync starts at <paramref name="now"/>.</summary>
    public void Started(DateTimeOffset now) => _lastStart = now;

    /// <summary>The sync that started last covered <paramref name="generation"/> and ended at <paramref name="now"/>.</summary>
    public void Finished(long generation, bool succeeded, bool full, DateTimeOffset now)
    {
        SyncedGeneration = Math.Max(SyncedGeneration, generation);
        if (succeeded)
        {
            ConsecutiveFailures = 0;
            _retryAt = null;
            if (full)
            {
                _lastFull = _lastStart;
            }

            return;
        }

        ConsecutiveFailures++;
        var backoff = options.RetryInterval * Math.Pow(2, Math.Min(ConsecutiveFailures - 1, 30));
        _retryAt = now + (backoff < options.MaxRetryInterval ? backoff : options.MaxRetryInterval);
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset? b, DateTimeOffset c) =>
        new[] { a, b, c }.OfType<DateTimeOffset>().Min();

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
