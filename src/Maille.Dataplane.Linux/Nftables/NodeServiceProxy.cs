using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.ServiceProxy;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// One node's Service data plane: makes <c>table ip maille-svc</c> in the node's network namespace equal to what the
/// engine plans for a <see cref="ClusterState"/>. When and how often is the caller's business (the lab's node agent
/// runs it with coalescing, periodic full syncs and retries); this class only applies.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Sync"/> returns once the kernel holds the new rules, or with nft's message when it refused them.
/// Each sync is one atomic libnftables transaction (or netlink batch), run on a thread that entered the node's
/// namespace once and stays there until <see cref="Dispose"/>. Its context's socket keeps a number below 1,024 in a
/// lab of any size (<see cref="LowDescriptors"/>). Calls are serialised.</item>
/// <item>The first sync, a <c>full</c> one and the first after a failed transaction rewrite the whole table (loaded
/// by netlink when the table is missing); the others write only the Service ports whose plan changed.</item>
/// <item>A failed transaction leaves the kernel's table as it was (nftables transactions are all or nothing) and the
/// state empty, so the next sync is full.</item>
/// <item>After a sync that removed endpoints of UDP ports, their conntrack entries are flushed.</item>
/// <item><see cref="Dispose"/> deletes the table; nothing of the proxy is left in the namespace.</item>
/// </list>
/// </remarks>
public sealed class NodeServiceProxy : IDisposable
{
    private readonly NodeServiceProxyOptions _options;
    private readonly NamespaceNftContext _nft;
    private readonly Lock _gate = new();
    private readonly ServiceRulesetState _state = new();

    // The last plan and the cluster it came from, so a readiness change re-plans the Services it touches, not all of them.
    private (ClusterState Cluster, NodeServicePlan Plan)? _lastPlan;

    public NodeServiceProxy(NetworkNamespace node, string nodeName, NodeServiceProxyOptions? options = null)
    {
        NodeName = nodeName;
        _options = options ?? new NodeServiceProxyOptions();
        _options.Validate();
        _nft = new NamespaceNftContext(node, $"maille-svc-{nodeName}", $"{ServiceRulesetBuilder.Family} {ServiceRulesetBuilder.Table}");
    }

    public string NodeName { get; }

    /// <summary>Makes the table hold the rules of <paramref name="cluster"/>; <paramref name="full"/> rewrites it whole.</summary>
    public NodeServiceProxySync Sync(ClusterState cluster, bool full = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_nft.IsDisposed, this);
            var plan = ServiceProxyPlanner.Plan(cluster, NodeName, full ? null : _lastPlan);
            plan = plan.ClusterIPAtSocket == _options.ClusterIPAtSocket ? plan : plan with { ClusterIPAtSocket = _options.ClusterIPAtSocket };
            _lastPlan = (cluster, plan);
            var change = _state.Prepare(plan, full);
            var applying = System.Diagnostics.Stopwatch.GetTimestamp();
            var (error, conntrackError) = change.CommandCount > 0 ? _nft.Invoke(context => Apply(context, change)) : (null, null);
            var applyDuration = System.Diagnostics.Stopwatch.GetElapsedTime(applying);
            if (error is not null)
            {
                _state.Reset();
                return new NodeServiceProxySync { Plan = null, Full = change.Full, CommandCount = change.CommandCount, ApplyDuration = applyDuration, Error = error };
            }

            _state.Commit(change);
            return new NodeServiceProxySync
            {
                Plan = plan,
                Full = change.Full,
                CommandCount = change.CommandCount,
                ApplyDuration = applyDuration,
                ConntrackError = conntrackError,
                StaleUdpFlowCount = change.StaleUdpFlows.Count,
                ServicePortCount = _state.PortCount,
                RuleCount = _state.RuleCount,
                ElementCount = _state.ElementCount,
            };
        }
    }

    /// <summary>Deletes the table, after the sync under way if any.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _nft.Dispose();
        }
    }

    /// <summary>Runs inside the node's namespace: the transaction, then the conntrack flush of UDP flows to endpoints that went.</summary>
    private (string? Error, string? ConntrackError) Apply(NftContext context, ServiceRulesetChange change)
    {
        var loaded = change.Table is { } table && !NftTableLoader.Exists(context, table.Family, table.Table)
            ? NftTableLoader.Load(context, table)
            : (change.Staged is { } staged && staged.ElementCount >= _options.NetlinkElementThreshold
                ? NftTableLoader.TryApplyStaged(context, ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table, staged, ServiceRulesetBuilder.DeclaredSet)
                : null);
        var refused = loaded is null ? context.RunInOrder(change.Steps) : loaded.Succeeded ? null : (1, loaded);
        if (refused is var (step, result))
        {
            // Earlier steps left a working table, but not the one recorded: the state is reset, so the next sync
            // rewrites it whole.
            var sync = change.Full ? "full" : loaded is null && change.Steps.Count > 1 ? $"partial, step {step} of {change.Steps.Count}" : "partial";
            return ($"nft transaction failed ({sync} sync, {change.CommandCount} commands): {result.Error.Trim()}", null);
        }

        return (null, _options.FlushStaleUdpFlows && change.StaleUdpFlows.Count > 0 ? ConntrackFlusher.Flush(change.StaleUdpFlows) : null);
    }
}
