using System.Diagnostics;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Policy;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// One node's NetworkPolicy enforcement: keeps <c>table ip maille-policy</c> in the node's network namespace equal
/// to what the engine plans (<see cref="NodePolicyPlanner"/>, rendered by <see cref="PolicyRulesetBuilder"/>) for the
/// latest <see cref="ClusterState"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Sync"/> returns once the kernel holds the new rules (or with nft's message when it refused them),
/// applied by libnftables on a thread that lives in the node's namespace. What was applied is published as one
/// <see cref="PolicySnapshot"/>. A whole table is one
/// transaction; a difference is up to two (<see cref="NftRulesetSteps"/>: create; point at and remove), so that no
/// packet crossing a commit meets a chain or map that its generation sees half-made.</item>
/// <item>The first sync, a <c>full</c> one (drift repair) and the first after a failed one rewrite the whole table;
/// the others write the difference (<see cref="NftRulesetDiff"/>): element commands for relabelled or new pods, whole
/// chains for changed policies. Named counters of unchanged policy rules keep counting across syncs, and across a
/// whole rewrite too: their values are read just before and written with the new table (packets counted between the
/// read and the commit, microseconds, are lost).</item>
/// <item>Connections already established are left alone unless <see cref="NodePolicyEnforcerOptions.FlushDeniedConnections"/>
/// is set: then, after each change, every tracked connection of this node's pods that the new rules deny is
/// deleted from conntrack, so its next packet is judged again (and refused).</item>
/// <item><see cref="Dispose"/> deletes the table.</item>
/// </list>
/// </remarks>
public sealed class NodePolicyEnforcer : INodeAgentPart
{
    private readonly string _nodeName;
    private readonly NodePolicyEnforcerOptions _options;
    private readonly NamespaceNftContext _nft;
    private readonly PolicyRulesetState _state = new();
    private readonly PolicyFoldCache _folds = new();
    private readonly Lock _gate = new();
    private PolicySnapshot? _applied;
    private long _flushedConnections;

    public NodePolicyEnforcer(NetworkNamespace node, string nodeName, NodePolicyEnforcerOptions? options = null)
    {
        _nodeName = nodeName;
        _options = options ?? new NodePolicyEnforcerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.FoldChainsAbove, nameof(options));
        _nft = new NamespaceNftContext(node, $"maille-policy-{nodeName}", $"{PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}", () =>
        {
            if (_options.LiftIcmpRateLimit)
            {
                Sysctl.Write("net/ipv4/icmp_ratelimit", "0");
            }
        });
    }

    public string Name => "networkpolicy";

    /// <summary>What the kernel last accepted (null before the first sync): read once, it pairs a plan with its table.</summary>
    public PolicySnapshot? Applied => Volatile.Read(ref _applied);

    public NodePartDetails Details => Applied?.Details ?? new PolicyEnforcerDetails();

    /// <summary>
    /// A connection's first packet from <paramref name="source"/> to <paramref name="destination"/> (after any Service
    /// DNAT) walked through the forward hook of the table last applied: the verdict and the chain and rule that decided
    /// (for <c>maille trace</c> on a running lab), in the table of <paramref name="applied"/>.
    /// </summary>
    public static NftTraceResult Trace(PolicySnapshot applied, System.Net.IPAddress source, System.Net.IPAddress destination, string protocol, int port) =>
        new NftPacketTracer(applied.Ruleset).TraceFilter("forward", new NftTracePacket(source, destination, protocol, port, NftIngress.Pod));

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var desiredPlan = NodePolicyPlanner.Plan(cluster, _nodeName);
        var desired = PolicyRulesetBuilder.Build(desiredPlan, _options.DeniedAction, _options.FoldChainsAbove, _folds, _options.DenialLogGroup);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_nft.IsDisposed, this);

            // A whole table written again keeps its counters: read them first (none before the table exists).
            var counters = full || _state.IsEmpty ? _nft.Invoke(ReadCounterValues) : null;
            var change = _state.Prepare(desired, full, counters);
            var applying = Stopwatch.GetTimestamp();
            if (change.CommandCount > 0 && _nft.Invoke(context => context.RunInOrder(change.Steps)) is var (step, result))
            {
                // Earlier steps left a working table, but not the one recorded: the next sync rewrites it whole.
                _state.Reset();
                return NodePartSync.Failed($"nft transaction failed ({(change.Full ? "full" : $"partial, step {step} of {change.Steps.Count}")} sync, {change.CommandCount} commands): {result.Error.Trim()}", change.Full);
            }

            var applyDuration = Stopwatch.GetElapsedTime(applying);
            _state.Commit(change);
            string? flushError = null;
            if (_options.FlushDeniedConnections && change.CommandCount > 0)
            {
                try
                {
                    _flushedConnections += _nft.Invoke(_ => FlushDenied(desiredPlan));
                }
                catch (InvalidOperationException exception)
                {
                    flushError = exception.Message;
                }
            }

            Volatile.Write(ref _applied, new PolicySnapshot(desiredPlan, desired, new PolicyEnforcerDetails
            {
                PolicyCount = cluster.NetworkPolicies.Count,
                IngressIsolatedPods = desiredPlan.Pods.Count(p => p.IngressChain is not null),
                EgressIsolatedPods = desiredPlan.Pods.Count(p => p.EgressChain is not null),
                Chains = desiredPlan.Chains.Count,
                Rules = desired.RuleCount,
                Sets = desired.Sets.Count,
                Elements = desired.ElementCount,
                Counters = desired.Counters.Count,
                FlushedConnections = _flushedConnections,
            }));
            return new NodePartSync { Full = change.Full, CommandCount = change.CommandCount, ApplyDuration = applyDuration, Warning = flushError };
        }
    }

    /// <summary>The named counters of the NetworkPolicy rules this node counts, read from the kernel, in counter name order.</summary>
    public IReadOnlyList<PolicyRuleCount> ReadCounters() => ReadAllCounters().Rules;

    /// <summary>The named counters of the ClusterNetworkPolicy rules this node counts, read from the kernel, in key order.</summary>
    public IReadOnlyList<ClusterRuleCount> ReadClusterCounters() => ReadAllCounters().ClusterRules;

    /// <summary>
    /// Both kinds of rule counters from one listing of the table (so they are of the same moment): the NetworkPolicy
    /// rules' and the ClusterNetworkPolicy rules' the applied plan counts.
    /// </summary>
    public (IReadOnlyList<PolicyRuleCount> Rules, IReadOnlyList<ClusterRuleCount> ClusterRules) ReadAllCounters()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_nft.IsDisposed, this);
            if (Applied?.Plan is not { } plan)
            {
                return ([], []);
            }

            var result = _nft.Invoke(ListTable);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"cannot read the policy counters: {result.Error.Trim()}");
            }

            var values = NftCounterValue.Parse(result.Output).ToDictionary(c => c.Name, StringComparer.Ordinal);
            IReadOnlyList<PolicyRuleCount> rules = [.. plan.CountedRules.Where(r => values.ContainsKey(r.CounterName))
                .Select(r => new PolicyRuleCount(r, values[r.CounterName].Packets, values[r.CounterName].Bytes))];
            IReadOnlyList<ClusterRuleCount> clusterRules = [.. plan.TierChains.SelectMany(c => c.Rules).DistinctBy(r => r.Rule).OrderBy(r => r.Rule.Key, StringComparer.Ordinal)
                .Select(r => (Rule: r, Found: values.TryGetValue(PolicyCounterNames.Of(r.Rule), out var value), Value: value))
                .Where(x => x.Found)
                .Select(x => new ClusterRuleCount(x.Rule.Rule, x.Rule.RuleName, x.Rule.Action, x.Value!.Packets, x.Value.Bytes))];
            return (rules, clusterRules);
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

    /// <summary>The kernel's named counters of the table, by name; empty when there is no table (yet). Runs inside the node's namespace.</summary>
    private static Dictionary<string, NftCounterValue> ReadCounterValues(NftContext context)
    {
        var result = ListTable(context);
        return result.Succeeded ? NftCounterValue.Parse(result.Output).ToDictionary(c => c.Name, StringComparer.Ordinal) : [];
    }

    /// <summary>
    /// The policy table as the kernel lists it, its named counters included. Not <c>list counters table</c>: nft 1.0.6
    /// fills its cache with every table of the namespace for that command (the Service proxy's too: seconds at 10,000
    /// Services, so each periodic full sync held up the changes behind it), and with this table only for <c>list table</c>.
    /// </summary>
    private static NftResult ListTable(NftContext context) =>
        context.Run($"list table {PolicyRulesetBuilder.Family} {PolicyRulesetBuilder.Table}");

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
