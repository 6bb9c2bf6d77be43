using System.Runtime.InteropServices;
using Maille.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// Runs one <see cref="INodeAgentPart"/> on a thread of its own, the way kube-proxy's bounded-frequency runner drives
/// its proxier: requests are coalesced and bounded by a minimum interval, a full sync comes at least every full-sync
/// interval (drift repair), and a failed sync is retried with backoff. When is decided by a <see cref="SyncSchedule"/>;
/// this class only keeps the thread, the latest state and the waiters.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Request"/> is thread-safe and returns at once with the request's generation; <see cref="WaitAsync"/>
/// completes when a sync covering it has finished, successful or not.</item>
/// <item><see cref="Status"/> is one immutable value, swapped after each sync.</item>
/// <item>A paused runner (its node stopped) syncs nothing; <see cref="Resume"/> syncs the latest state at once, in
/// full, as a restarted kube-proxy does.</item>
/// <item><see cref="Dispose"/> ends the thread after the sync under way, then disposes the part.</item>
/// </list>
/// </remarks>
internal sealed partial class NodePartRunner : IDisposable
{
    private readonly string node;
    private readonly INodeAgentPart part;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim wake = new(0);
    private readonly CancellationTokenSource stopping = new();
    private readonly SyncSchedule schedule;
    private readonly List<(long Generation, TaskCompletionSource<NodePartStatus> Done)> waiters = [];
    private readonly Thread thread;
    private ClusterState? latest;
    private NodePartStatus status;
    private bool asleep;

    public NodePartRunner(string node, INodeAgentPart part, NodePartRunnerOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        options ??= new NodePartRunnerOptions();
        options.Validate();
        this.node = node;
        this.part = part;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        schedule = new SyncSchedule(options);
        status = new NodePartStatus { Details = part.Details };
        thread = new Thread(Run) { IsBackground = true, Name = $"maille-{part.Name}-{node}" };
        thread.Start();
    }

    public string Name => part.Name;

    public INodeAgentPart Part => part;

    public NodePartStatus Status
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    /// <summary>
    /// The runner waits for a request or its next due time, with its timer armed. A request clears it at once. Tests that
    /// move a manual clock wait for it, so that no wait is measured from the wrong moment.
    /// </summary>
    internal bool Asleep
    {
        get
        {
            lock (gate)
            {
                return asleep;
            }
        }
    }

    /// <summary>Asks for <paramref name="cluster"/> to be synced; returns the request's generation (see <see cref="WaitAsync"/>).</summary>
    public long Request(ClusterState cluster)
    {
        long generation;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
            latest = cluster;
            asleep = false;
            generation = schedule.Request(out var coalesced);
            status = status with
            {
                RequestedGeneration = generation,
                CoalescedRequests = status.CoalescedRequests + (coalesced ? 1 : 0),
            };
        }

        wake.Release();
        return generation;
    }

    /// <summary>Completes when a sync covering request <paramref name="generation"/> has finished, successful or not.</summary>
    public Task<NodePartStatus> WaitAsync(long generation, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (status.SyncedGeneration >= generation || stopping.IsCancellationRequested)
            {
                return Task.FromResult(status);
            }

            var done = new TaskCompletionSource<NodePartStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((generation, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary><see cref="Request"/>, then <see cref="WaitAsync"/>.</summary>
    public Task<NodePartStatus> SyncAsync(ClusterState cluster, CancellationToken cancellationToken = default) =>
        WaitAsync(Request(cluster), cancellationToken);

    /// <summary>Syncs nothing until <see cref="Resume"/> (the node is stopped).</summary>
    public void Pause()
    {
        lock (gate)
        {
            schedule.Paused = true;
        }
    }

    /// <summary>Syncs the latest state at once, in full: whatever happened while paused is repaired.</summary>
    public void Resume()
    {
        lock (gate)
        {
            schedule.Paused = false;
            asleep = false;
            if (latest is not null)
            {
                schedule.ForceFull();
                status = status with { RequestedGeneration = schedule.Request(out _) };
            }
        }

        wake.Release();
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            stopping.Cancel();
        }

        thread.Join(TimeSpan.FromSeconds(30));
        part.Dispose();
        lock (gate)
        {
            foreach (var (_, done) in waiters)
            {
                done.TrySetResult(status);
            }

            waiters.Clear();
        }
    }

    private void Run()
    {
        while (!stopping.IsCancellationRequested)
        {
            SyncDecision decision;
            ClusterState? cluster;
            long generation;
            CancellationTokenSource? timeout = null;
            lock (gate)
            {
                decision = schedule.Next(time.GetUtcNow());
                cluster = latest;
                generation = schedule.RequestedGeneration;
                if (decision.Run)
                {
                    schedule.Started(time.GetUtcNow());
                }
                else
                {
                    // Armed under the lock, from the moment of the decision: a clock read later would wait too long.
                    timeout = new CancellationTokenSource(decision.Wait, time);
                    asleep = true;
                }
            }

            if (timeout is null)
            {
                SyncOnce(cluster!, generation, decision.Full);
                continue;
            }

            using (timeout)
            {
                Sleep(timeout.Token);
            }

            lock (gate)
            {
                asleep = false;
            }
        }
    }

    /// <summary>Waits for a request, the <paramref name="timeout"/> on the runner's clock, or disposal.</summary>
    private void Sleep(CancellationToken timeout)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout, stopping.Token);
        try
        {
            wake.Wait(either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        // Requests that came together are one sync of the latest state: one wake-up is enough.
        while (wake.Wait(0, CancellationToken.None))
        {
        }
    }

    private void SyncOnce(ClusterState cluster, long generation, bool full)
    {
        var started = time.GetTimestamp();
        NodePartSync result;
        try
        {
            result = part.Sync(cluster, full);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or ArgumentException or ExternalException)
        {
            // A part that fails unexpectedly is retried like one the kernel refused; the runner must outlive it.
            result = NodePartSync.Failed(exception.Message, full);
        }

        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        var now = time.GetUtcNow();
        DateTimeOffset? retryAt;
        lock (gate)
        {
            schedule.Finished(generation, result.Succeeded, result.Full, now);
            status = result.Succeeded
                ? status with
                {
                    Syncs = status.Syncs + 1,
                    FullSyncs = status.FullSyncs + (result.Full ? 1 : 0),
                    ConsecutiveFailures = 0,
                    LastSyncMilliseconds = elapsed,
                    LastApplyMilliseconds = result.ApplyDuration.TotalMilliseconds,
                    LastSyncWasFull = result.Full,
                    LastCommandCount = result.CommandCount,
                    LastSyncAt = now,
                    LastFullSyncAt = result.Full ? now : status.LastFullSyncAt,
                    NextRetryAt = null,
                    LastError = result.Warning,
                    SyncedGeneration = schedule.SyncedGeneration,
                    Details = part.Details,
                }
                : status with
                {
                    FailedSyncs = status.FailedSyncs + 1,
                    ConsecutiveFailures = schedule.ConsecutiveFailures,
                    LastSyncMilliseconds = elapsed,
                    NextRetryAt = schedule.RetryAt,
                    LastError = result.Error,
                    SyncedGeneration = schedule.SyncedGeneration,
                    Details = part.Details,
                };
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Generation <= schedule.SyncedGeneration)
                {
                    waiters[i].Done.TrySetResult(status);
                    waiters.RemoveAt(i);
                }
            }

            retryAt = schedule.RetryAt;
        }

        if (!result.Succeeded)
        {
            LogSyncFailed(node, part.Name, result.Error, retryAt);
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Warning, Message = "Node {Node}: {Part} failed to sync: {Reason}; retrying at {RetryAt}")]
    private partial void LogSyncFailed(string node, string part, string? reason, DateTimeOffset? retryAt);
}
