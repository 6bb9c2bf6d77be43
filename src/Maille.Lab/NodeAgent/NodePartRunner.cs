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
public sealed partial class NodePartRunner : IDisposable
{
    private readonly string _node;
    private readonly INodeAgentPart _part;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    // An event that blocks at once: a SemaphoreSlim spun about 140 rounds (mostly sched_yield) each time a runner went
    // to sleep, for every part of every node after every change; on two cores that was 40 % of a busy daemon's CPU.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SyncSchedule _schedule;
    private readonly List<(long Generation, TaskCompletionSource<NodePartStatus> Done)> _waiters = [];
    private readonly Thread _thread;
    private ClusterState? _latest;
    private NodePartStatus _status;
    private readonly NodePartSyncHooks? _hooks;
    private bool _asleep;

    /// <param name="hooks">Called on the runner's thread around each sync (a node agent process tells its own nftables commits from others').</param>
    public NodePartRunner(string node, INodeAgentPart part, NodePartRunnerOptions? options = null, TimeProvider? time = null, ILogger? logger = null, NodePartSyncHooks? hooks = null)
    {
        _hooks = hooks;
        options ??= new NodePartRunnerOptions();
        options.Validate();
        _node = node;
        _part = part;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _schedule = new SyncSchedule(options);
        _status = new NodePartStatus { Details = part.Details };
        _thread = new Thread(Run) { IsBackground = true, Name = $"maille-{part.Name}-{node}" };
        _thread.Start();
    }

    public string Name => _part.Name;

    public INodeAgentPart Part => _part;

    public NodePartStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
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
            lock (_gate)
            {
                return _asleep;
            }
        }
    }

    /// <summary>Asks for <paramref name="cluster"/> to be synced; returns the request's generation (see <see cref="WaitAsync"/>).</summary>
    public long Request(ClusterState cluster)
    {
        long generation;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _latest = cluster;
            _asleep = false;
            generation = _schedule.Request(out var coalesced);
            _status = _status with
            {
                RequestedGeneration = generation,
                CoalescedRequests = _status.CoalescedRequests + (coalesced ? 1 : 0),
            };
        }

        _wake.Set();
        return generation;
    }

    /// <summary>Completes when a sync covering request <paramref name="generation"/> has finished, successful or not.</summary>
    public Task<NodePartStatus> WaitAsync(long generation, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_status.SyncedGeneration >= generation || _stopping.IsCancellationRequested)
            {
                return Task.FromResult(_status);
            }

            var done = new TaskCompletionSource<NodePartStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((generation, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary><see cref="Request"/>, then <see cref="WaitAsync"/>.</summary>
    public Task<NodePartStatus> SyncAsync(ClusterState cluster, CancellationToken cancellationToken = default) =>
        WaitAsync(Request(cluster), cancellationToken);

    /// <summary>Syncs nothing until <see cref="Resume"/> (the node is stopped).</summary>
    public void Pause()
    {
        lock (_gate)
        {
            _schedule.Paused = true;
        }
    }

    /// <summary>Syncs the latest state at once, in full: whatever happened while paused is repaired.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            _schedule.Paused = false;
            _asleep = false;
            if (_latest is not null)
            {
                _schedule.ForceFull();
                _status = _status with { RequestedGeneration = _schedule.Request(out _) };
            }
        }

        _wake.Set();
    }

    /// <summary>Writes the latest state again in full, now (something changed the node's tables behind the part's back).</summary>
    public void Repair()
    {
        lock (_gate)
        {
            if (_latest is null || _schedule.Paused)
            {
                return;
            }

            _asleep = false;
            _schedule.ForceFull();
            _status = _status with { RequestedGeneration = _schedule.Request(out _) };
        }

        _wake.Set();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        _thread.Join(TimeSpan.FromSeconds(30));
        _part.Dispose();
        lock (_gate)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetResult(_status);
            }

            _waiters.Clear();
        }
    }

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            SyncDecision decision;
            ClusterState? cluster;
            long generation;
            CancellationTokenSource? timeout = null;
            lock (_gate)
            {
                decision = _schedule.Next(_time.GetUtcNow());
                cluster = _latest;
                generation = _schedule.RequestedGeneration;
                if (decision.Run)
                {
                    _schedule.Started(_time.GetUtcNow());
                }
                else
                {
                    // Armed under the lock, from the moment of the decision: a clock read later would wait too long.
                    timeout = new CancellationTokenSource(decision.Wait, _time);
                    _asleep = true;
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

            lock (_gate)
            {
                _asleep = false;
            }
        }
    }

    /// <summary>Waits for a request, the <paramref name="timeout"/> on the runner's clock, or disposal.</summary>
    private void Sleep(CancellationToken timeout)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout, _stopping.Token);
        try
        {
            _wake.Wait(either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        // Requests that came together are one sync of the latest state: one wake-up is enough. Reset before the caller
        // reads that state, so a request made after this is a wake-up of the next sleep.
        _wake.Reset();
    }

    private void SyncOnce(ClusterState cluster, long generation, bool full)
    {
        var started = _time.GetTimestamp();
        NodePartSync? result = null;
        _hooks?.Before();
        try
        {
            result = _part.Sync(cluster, full);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or ArgumentException or ExternalException)
        {
            // A part that fails unexpectedly is retried like one the kernel refused; the runner must outlive it.
            result = NodePartSync.Failed(exception.Message, full);
        }
        finally
        {
            _hooks?.After(_part, result);
        }

        var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
        var now = _time.GetUtcNow();
        DateTimeOffset? retryAt;
        lock (_gate)
        {
            _schedule.Finished(generation, result.Succeeded, result.Full, now);
            _status = result.Succeeded
                ? _status with
                {
                    Syncs = _status.Syncs + 1,
                    FullSyncs = _status.FullSyncs + (result.Full ? 1 : 0),
                    ConsecutiveFailures = 0,
                    LastSyncMilliseconds = elapsed,
                    LastApplyMilliseconds = result.ApplyDuration.TotalMilliseconds,
                    LastSyncWasFull = result.Full,
                    LastCommandCount = result.CommandCount,
                    LastSyncAt = now,
                    LastFullSyncAt = result.Full ? now : _status.LastFullSyncAt,
                    NextRetryAt = null,
                    LastError = result.Warning,
                    SyncedGeneration = _schedule.SyncedGeneration,
                    Details = _part.Details,
                }
                : _status with
                {
                    FailedSyncs = _status.FailedSyncs + 1,
                    ConsecutiveFailures = _schedule.ConsecutiveFailures,
                    LastSyncMilliseconds = elapsed,
                    NextRetryAt = _schedule.RetryAt,
                    LastError = result.Error,
                    SyncedGeneration = _schedule.SyncedGeneration,
                    Details = _part.Details,
                };
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Generation <= _schedule.SyncedGeneration)
                {
                    _waiters[i].Done.TrySetResult(_status);
                    _waiters.RemoveAt(i);
                }
            }

            retryAt = _schedule.RetryAt;
        }

        if (!result.Succeeded)
        {
            LogSyncFailed(_node, _part.Name, result.Error, retryAt);
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Warning, Message = "Node {Node}: {Part} failed to sync: {Reason}; retrying at {RetryAt}")]
    private partial void LogSyncFailed(string node, string part, string? reason, DateTimeOffset? retryAt);
}
