using Maille.Dataplane.Linux.Ebpf;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Policy;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// The ebpf data plane's NetworkPolicy as a part of a node agent, in place of the nftables <see cref="NodePolicyEnforcer"/>:
/// each sync writes the node's <see cref="NodePodPolicy"/> maps from the node plan's differences, then attaches the tc
/// programs to the veth of each pod of the node that has none yet and forgets the veths of pods that are gone (their
/// filters went with them). A pod whose veth does not exist yet is retried.
/// </summary>
public sealed class PodPolicyPart(NodePodPolicy policy, Func<ClusterState, IReadOnlySet<string>> hostInterfaces, bool flushDeniedConnections) : INodeAgentPart
{
    private PodPolicyDetails? _details;
    private long _flushed;

    public string Name => "networkpolicy-ebpf";

    /// <summary>The plan the maps hold (null before the first sync, or after a refused one).</summary>
    public NodePolicyPlan? Plan => policy.Plan;

    public NodePartDetails Details => Volatile.Read(ref _details) ?? new PodPolicyDetails();

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var result = policy.Sync(cluster, full, flushDeniedConnections);
        if (result.Error is { } error)
        {
            return NodePartSync.Failed(error, result.Full);
        }

        _flushed += result.FlushedFlows;
        var wanted = hostInterfaces(cluster);
        var missing = new List<string>();
        foreach (var gone in policy.Interfaces.Where(i => !wanted.Contains(i)))
        {
            policy.Detach(gone);
        }

        foreach (var name in wanted.Order(StringComparer.Ordinal))
        {
            try
            {
                policy.Attach(name);
            }
            catch (IOException e)
            {
                missing.Add($"{name}: {e.Message}");
            }
        }

        var plan = policy.Plan;
        Volatile.Write(ref _details, new PodPolicyDetails
        {
            PolicyCount = cluster.NetworkPolicies.Count,
            Programs = [NodePodPolicy.EgressProgram, NodePodPolicy.IngressProgram],
            Interfaces = policy.Interfaces.Count,
            Maps = policy.MapCounts(),
            IngressIsolatedPods = plan?.Pods.Count(p => p.IngressChain is not null) ?? 0,
            EgressIsolatedPods = plan?.Pods.Count(p => p.EgressChain is not null) ?? 0,
            FlushedFlows = _flushed,
        });
        return new NodePartSync
        {
            Full = result.Full,
            CommandCount = result.CommandCount,
            ApplyDuration = result.ApplyDuration,
            // A pod's veth is made before its node agent hears of it, but not always: one that is missing is retried.
            Error = missing.Count > 0 ? $"{missing.Count} pod veths could not be attached (yet), e.g. {missing[0]}" : null,
        };
    }

    /// <summary>Both kinds of rule counters of the plan the maps hold, read from the <c>counters</c> map, as <see cref="NodePolicyEnforcer.ReadAllCounters"/> gives them.</summary>
    public (IReadOnlyList<PolicyRuleCount> Rules, IReadOnlyList<ClusterRuleCount> ClusterRules) ReadAllCounters()
    {
        if (policy.Plan is not { } plan)
        {
            return ([], []);
        }

        IReadOnlyDictionary<string, (ulong Packets, ulong Bytes)> values;
        try
        {
            values = policy.ReadCounters();
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"cannot read the policy counters: {e.Message}", e);
        }

        IReadOnlyList<PolicyRuleCount> rules = [.. plan.CountedRules.Where(r => values.ContainsKey(r.Key))
            .Select(r => new PolicyRuleCount(r, (long)values[r.Key].Packets, (long)values[r.Key].Bytes))];
        IReadOnlyList<ClusterRuleCount> clusterRules = [.. plan.TierChains.SelectMany(c => c.Rules).DistinctBy(r => r.Rule).OrderBy(r => r.Rule.Key, StringComparer.Ordinal)
            .Where(r => values.ContainsKey(r.Rule.Key))
            .Select(r => new ClusterRuleCount(r.Rule, r.RuleName, r.Action, (long)values[r.Rule.Key].Packets, (long)values[r.Rule.Key].Bytes))];
        return (rules, clusterRules);
    }

    /// <summary>How this node's maps judge a first packet for one direction of its pod (for <c>trace --lab</c>).</summary>
    public Dataplane.Ebpf.PodPolicyWalk Walk(bool ingress, System.Net.IPAddress pod, System.Net.IPAddress peer, int protocol, int? port) =>
        policy.Walk(ingress, pod, peer, protocol, port);

    /// <summary>Starts reading the first packets this node's programs deny into <paramref name="sink"/> (<c>maille observe</c>).</summary>
    public IDisposable ReadDenials(Dataplane.Linux.Flows.IKernelFlowSink sink) => policy.ReadDenials(sink);

    public void Dispose() => policy.Dispose();
}
