using System.Diagnostics;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// One node's Service data plane: keeps <c>table ip maille-svc</c> in the node's network namespace equal to what the
/// engine plans for the latest <see cref="ClusterState"/> it was given.
/// </summary>
/// <remarks>
/// <para>Contract:</para>
/// <list type="bullet">
/// <item><see cref="Sync"/> is thread-safe and returns at once: it records the state as the latest wish and wakes the
/// proxy's own thread. Requests arriving while a sync runs, or sooner than <see cref="NodeServiceProxyOptions.MinSyncInterval"/>
/// after the last one started, are folded into one sync of the latest state (level-triggered: only the latest
/// state matters, never the sequence).</item>
/// <item>Each sync is one atomic libnftables transaction, applied in-process on a dedicated thread that entered the node's
/// namespace once and stays there until <see cref="Dispose"/>. Its context's socket keeps a number below 1,024
/// in a lab of any size (<see cref="LowDescriptors"/>). The first sync, and the first after a failed
/// transaction, rewrites the whole table; the others write only the Service ports whose plan changed.</item>
/// <item>A failed transaction leaves the kernel's table as it was (nftables transactions are all or nothing); the error
/// is nft's own message in <see cref="NodeServiceProxyStatus.LastError"/>, and a full resync is retried after
/// <see cref="NodeServiceProxyOptions.RetryInterval"/>.</item>
/// <item>After a sync that removed endpoints of UDP ports, their conntrack entries are flushed.</item>
/// <item><see cref="Status"/> reports counts and latencies; <see cref="Ruleset"/> is the table as last applied, for tracing.</item>
/// <item><see cref="Dispose"/> stops the thread and deletes the table; nothing of the proxy is left in the namespace.</item>
/// </list>
/// </remarks>
internal sealed class NodeServiceProxy : IDisposable
{
    private readonly NetworkNamespace node;
    private readonly NodeServiceProxyOptions options;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim wake = new(0);
    private readonly ServiceRulesetState state = new();
    private readonly Thread thread;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long Generation, TaskCompletionSource<NodeServiceProxyStatus> Done)> waiters = [];
    private ClusterState? wanted;

    // Touched by the proxy thread only: the last plan and the cluster it came from, so a readiness change re-plans the
    // Services it touches, not all of them.
    private (ClusterState Cluster, Engine.ServiceProxy.NodeServicePlan Plan)? lastPlan;
    private long wantedGeneration;
    private bool stopping;
    private NodeServiceProxyStatus status = new();

    public NodeServiceProxy(NetworkNamespace node, string nodeName, NodeServiceProxyOptions? options = null, TimeProvider? time = null)
    {
        this.node = node;
        NodeName = nodeName;
        this.options = options ?? new NodeServiceProxyOptions();
        this.options.Validate();
        this.time = time ?? TimeProvider.System;
        thread = new Thread(Run) { IsBackground = true, Name = $"maille-svc-{nodeName}" };
        thread.Start();
        started.Task.GetAwaiter().GetResult();
    }

    public string NodeName { get; }

    public NodeServiceProxyStatus Status
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    /// <summary>Asks for the rules of <paramref name="cluster"/>; returns the request's generation (see <see cref="WaitAsync"/>).</summary>
    public long Sync(ClusterState cluster)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping, this);
            if (wanted is not null)
            {
                status = status with { CoalescedRequestCount = status.CoalescedRequestCount + 1 };
            }

            wanted = cluster;
            wantedGeneration++;
            wake.Release();
            return wantedGeneration;
        }
    }

    /// <summary>Completes when a sync covering request <paramref name="generation"/> has finished, successful or not.</summary>
    public Task<NodeServiceProxyStatus> WaitAsync(long generation, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (status.SyncedGeneration >= generation)
            {
                return Task.FromResult(status);
            }

            var done = new TaskCompletionSource<NodeServiceProxyStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((generation, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary><see cref="Sync"/>, then <see cref="WaitAsync"/>.</summary>
    public Task<NodeServiceProxyStatus> SyncAsync(ClusterState cluster, CancellationToken cancellationToken = default) =>
        WaitAsync(Sync(cluster), cancellationToken);

    /// <summary>The table as last accepted by the kernel (dynamic affinity sets without their elements).</summary>
    public NftRuleset Ruleset()
    {
        lock (gate)
        {
            return state.Ruleset();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (stopping)
            {
                return;
            }

            stopping = true;
            wake.Release();
        }

        thread.Join(TimeSpan.FromSeconds(30));
        wake.Dispose();
    }

    private void Run()
    {
        NftContext context;
        try
        {
            node.Enter();
            context = NftContext.Create();
        }
        catch (Exception exception)
        {
            lock (gate)
            {
                status = status with { LastError = $"cannot start in {node.Name}: {exception.Message}" };
            }

            started.SetResult();
            return;
        }

        started.SetResult();
        using (context)
        {
            long? lastStart = null;
            var retryPending = false;
            while (true)
            {
                var woken = wake.Wait(retryPending ? options.RetryInterval : Timeout.InfiniteTimeSpan);
                lock (gate)
                {
                    if (stopping)
                    {
                        break;
                    }
                }

                if (!woken && !retryPending)
                {
                    continue;
                }

                var wait = lastStart is { } last ? options.MinSyncInterval - time.GetElapsedTime(last) : TimeSpan.Zero;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }

                lastStart = time.GetTimestamp();
                retryPending = !SyncOnce(context);
            }

            context.Run($"delete table {ServiceRulesetBuilder.Family} {ServiceRulesetBuilder.Table}");
        }

        lock (gate)
        {
            foreach (var (_, done) in waiters)
            {
                done.TrySetResult(status);
            }

            waiters.Clear();
        }
    }

    /// <summary>One sync of the latest wish. Returns whether it succeeded (after a failure the state is empty, so the next one is full).</summary>
    private bool SyncOnce(NftContext context)
    {
        ClusterState? cluster;
        long generation;
        lock (gate)
        {
            cluster = wanted;
            generation = wantedGeneration;

            // Drain wake-ups for requests this sync already covers.
            while (wake.CurrentCount > 0 && wake.Wait(0))
            {
            }
        }

        if (cluster is null)
        {
            return true;
        }

        var began = time.GetTimestamp();
        string? error = null;
        ServiceRulesetChange? change = null;
        var applied = TimeSpan.Zero;
        try
        {
            var plan = ServiceProxyPlanner.Plan(cluster, NodeName, lastPlan);
            lastPlan = (cluster, plan);
            lock (gate)
            {
                change = state.Prepare(plan);
            }

            if (change.CommandCount > 0)
            {
                var applying = time.GetTimestamp();
                var loaded = change.Table is { } table && !NftTableLoader.Exists(context, table.Family, table.Table)
                    ? NftTableLoader.Load(context, table)
                    : (change.Staged is { } staged && staged.ElementCount >= options.NetlinkElementThreshold
                        ? NftTableLoader.TryApplyStaged(context, ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table, staged, ServiceRulesetBuilder.DeclaredSet)
                        : null);
                var refused = loaded is null ? context.RunInOrder(change.Steps) : loaded.Succeeded ? null : (1, loaded);
                applied = time.GetElapsedTime(applying);
                if (refused is var (step, result))
                {
                    // Earlier steps left a working table, but not the one recorded: the state is reset below, so the
                    // next sync rewrites it whole.
                    var sync = change.Full ? "full" : loaded is null && change.Steps.Count > 1 ? $"partial, step {step} of {change.Steps.Count}" : "partial";
                    error = $"nft transaction failed ({sync} sync, {change.CommandCount} commands): {result.Error.Trim()}";
                }
            }
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            error = exception.Message;
        }

        string? conntrackError = null;
        if (error is null && change is not null && options.FlushStaleUdpFlows && change.StaleUdpFlows.Count > 0)
        {
            conntrackError = ConntrackFlusher.Flush(change.StaleUdpFlows);
        }

        var elapsed = time.GetElapsedTime(began);
        lock (gate)
        {
            if (error is null)
            {
                state.Commit(change!);
                status = status with
                {
                    SyncCount = status.SyncCount + 1,
                    LastSyncDuration = elapsed,
                    LastApplyDuration = applied,
                    LastSyncWasFull = change!.Full,
                    LastCommandCount = change.CommandCount,
                    LastSyncAt = time.GetUtcNow(),
                    ServicePortCount = state.PortCount,
                    RuleCount = state.RuleCount,
                    ElementCount = state.ElementCount,
                    StaleUdpFlowFlushCount = status.StaleUdpFlowFlushCount + change.StaleUdpFlows.Count,
                    LastError = conntrackError,
                    SyncedGeneration = generation,
                };
            }
            else
            {
                state.Reset();
                status = status with { FailedSyncCount = status.FailedSyncCount + 1, LastError = error, SyncedGeneration = generation };
            }

            if (wantedGeneration == generation)
            {
                wanted = error is null ? null : wanted;
            }

            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Generation <= generation)
                {
                    waiters[i].Done.TrySetResult(status);
                    waiters.RemoveAt(i);
                }
            }
        }

        Debug.Assert(error is null || state.IsEmpty, "a failed sync leaves the state empty");
        return error is null;
    }
}
