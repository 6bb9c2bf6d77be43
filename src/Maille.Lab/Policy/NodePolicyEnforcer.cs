using System.Diagnostics;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;

namespace Maille.Lab.Policy;

/// <summary>
/// One node's NetworkPolicy enforcement: keeps <c>table ip maille-policy</c> in the node's network namespace equal
/// to what the engine plans (<see cref="NodePolicyPlanner"/>, rendered by <see cref="PolicyRulesetBuilder"/>) for the
/// latest <see cref="ClusterState"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Sync"/> returns once the kernel holds the new rules (or throws <see cref="InvalidOperationException"/>
/// with nft's message), applied by libnftables on a thread that lives in the node's namespace. A whole table is one
/// transaction; a difference is up to two (<see cref="NftRulesetSteps"/>: create; point at and remove), so that no
/// packet crossing a commit meets a chain or map that its generation sees half-made.</item>
/// <item>The first sync, and the first after a failed one, rewrite the whole table; the others write the difference
/// (<see cref="NftRulesetDiff"/>): element commands for relabelled or new pods, whole chains for changed policies.
/// Named counters of unchanged policy rules keep counting across syncs.</item>
/// <item>Connections already established are left alone unless <see cref="NodePolicyEnforcerOptions.FlushDeniedConnections"/>
/// is set: then, after each change, every tracked connection of this node's pods that the new rules deny is
/// deleted from conntrack, so its next packet is judged again (and refused).</item>
/// <item><see cref="Dispose"/> deletes the table.</item>
/// </list>
/// </remarks>
internal sealed class NodePolicyEnforcer : INodeDataplane
{
    private readonly string nodeName;
    private readonly NodePolicyEnforcerOptions options;
    private readonly NamespaceWorker worker;
    private readonly NftContext context;
    private readonly PolicyRulesetState state = new();
    private readonly PolicyFoldCache folds = new();
    private readonly Lock gate = new();
    private NodePolicyEnforcerStatus status = new();
    private NodePolicyPlan? plan;
    private bool disposed;

    public NodePolicyEnforcer(NetworkNamespace node, string nodeName, NodePolicyEnforcerOptions? options = null)
    {
        this.nodeName = nodeName;
        this.options = options ?? new NodePolicyEnforcerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(this.options.FoldChainsAbove, nameof(options));
        worker = new NamespaceWorker(node, $"maille-policy-{nodeName}");
        try
        {
            context = worker.Invoke(() =>
            {
                if (this.options.LiftIcmpRateLimit)
                {
                    Sysctl.Write("net/ipv4/icmp_ratelimit", "0");
                }

                return NftContext.Create();
            });
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    public string Name => "networkpolicy";

    public object Status => CurrentStatus;

    public NodePolicyEnforcerStatus CurrentStatus
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    /// <summary>The plan of the last accepted sync (null before the first).</summary>
    public NodePolicyPlan? Plan
    {
        get
        {
            lock (gate)
            {
                return plan;
            }
        }
    }

    /// <summary>The table as the kernel last accepted it, for tracing (null before the first sync).</summary>
    public NftRuleset? Ruleset
    {
        get
        {
            lock (gate)
            {
                return state.Applied;
            }
        }
    }

    /// <summary>
    /// A connection's first packet from <paramref name="source"/> to <paramref name="destination"/> (after any Service
    /// DNAT) walked through the forward hook of the table last applied: the verdict and the chain and rule that decided
    /// (for <c>maille trace</c> on a running lab). Null before the first sync.
    /// </summary>
    public NftTraceResult? Trace(System.Net.IPAddress source, System.Net.IPAddress destination, string protocol, int port)
    {
        var table = Ruleset;
        return table is null ? null : new NftPacketTracer(table).TraceFilter("forward", new NftTracePacket(source, destination, protocol, port, NftIngress.Pod));
    }

    public void Sync(ClusterState cluster)
    {
        var started = Stopwatch.GetTimestamp();
        var desiredPlan = NodePolicyPlanner.Plan(cluster, nodeName);
        var desired = PolicyRulesetBuilder.Build(desiredPlan, options.DeniedAction, options.FoldChainsAbove, folds);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var change = state.Prepare(desired);
            var applied = TimeSpan.Zero;
            if (change.CommandCount > 0)
            {
                var applying = Stopwatch.GetTimestamp();
                if (worker.Invoke(() => context.RunInOrder(change.Steps)) is var (step, result))
                {
                    // Earlier steps left a working table, but not the one recorded: the next sync rewrites it whole.
                    state.Reset();
                    var error = $"nft transaction failed ({(change.Full ? "full" : $"partial, step {step} of {change.Steps.Count}")} sync, {change.CommandCount} commands): {result.Error.Trim()}";
                    status = status with { FailedSyncs = status.FailedSyncs + 1, LastError = error };
                    throw new InvalidOperationException(error);
                }

                applied = Stopwatch.GetElapsedTime(applying);
            }

            state.Commit(change);
            plan = desiredPlan;
            var flushed = 0;
            string? flushError = null;
            if (options.FlushDeniedConnections && change.CommandCount > 0)
            {
                try
                {
                    flushed = worker.Invoke(() => FlushDenied(desiredPlan));
                }
                catch (InvalidOperationException exception)
                {
                    flushError = exception.Message;
                }
            }

            status = status with
            {
                Syncs = status.Syncs + 1,
                LastSyncMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                LastApplyMilliseconds = applied.TotalMilliseconds,
                LastSyncWasFull = change.Full,
                LastCommandCount = change.CommandCount,
                IngressIsolatedPods = desiredPlan.Pods.Count(p => p.IngressChain is not null),
                EgressIsolatedPods = desiredPlan.Pods.Count(p => p.EgressChain is not null),
                Chains = desiredPlan.Chains.Count,
                Rules = desired.RuleCount,
                Sets = desired.Sets.Count,
                Elements = desired.ElementCount,
                Counters = desired.Counters.Count,
                FlushedConnections = status.FlushedConnections + flushed,
                LastError = flushError,
            };
        }
    }

    /// <summary>The named counters of the policy rules this node counts, read from the kernel, in counter name order.</summary>
    public IReadOnlyList<PolicyRuleCount> ReadCounters()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (plan is null)
            {
                return [];
            }

            var result = worker.Invoke(() => context.Run($"list counters table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}"));
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"cannot read the policy counters: {result.Error.Trim()}");
            }

            var values = NftCounterValue.Parse(result.Output).ToDictionary(c => c.Name, StringComparer.Ordinal);
            return [.. plan.CountedRules.Where(r => values.ContainsKey(r.CounterName))
                .Select(r => new PolicyRuleCount(r, values[r.CounterName].Packets, values[r.CounterName].Bytes))];
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        try
        {
            worker.Invoke(() => context.Run($"delete table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}"));
        }
        finally
        {
            worker.Invoke(() =>
            {
                context.Dispose();
                return true;
            });
            worker.Dispose();
        }
    }

    /// <summary>
    /// Deletes every live tracked connection that crosses this node's forward hook (a pod of this node at either end,
    /// the node itself at neither) and that <paramref name="current"/> now denies. Flows from one client address to one
    /// endpoint share a verdict, so they go in one command. Runs inside the node's namespace.
    /// </summary>
    private static int FlushDenied(NodePolicyPlan current)
    {
        var judge = new NodePolicyJudge(current);
        var denied = new HashSet<(string Protocol, System.Net.IPAddress Source, System.Net.IPAddress Destination, int DestinationPort, System.Net.IPAddress ReplySource, int ReplySourcePort)>();
        foreach (var entry in ConntrackTable.List())
        {
            if (!entry.IsLive
                || !Enum.TryParse<Model.Protocol>(entry.Protocol, ignoreCase: true, out var protocol)
                || (!judge.IsLocalPod(entry.Source) && !judge.IsLocalPod(entry.ReplySource))
                || entry.Source.Equals(current.NodeAddress) || entry.ReplySource.Equals(current.NodeAddress))
            {
                continue;
            }

            if (!judge.Forward(entry.Source, entry.ReplySource, entry.ReplySourcePort, protocol).Allowed)
            {
                denied.Add((entry.Protocol, entry.Source, entry.Destination, entry.DestinationPort, entry.ReplySource, entry.ReplySourcePort));
            }
        }

        return denied.Sum(flow => ConntrackTable.Delete(flow.Protocol, flow.Source, flow.Destination, flow.DestinationPort, flow.ReplySource, flow.ReplySourcePort));
    }
}
