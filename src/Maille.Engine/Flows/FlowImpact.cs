using System.Collections.Immutable;
using System.Net;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Flows;

/// <summary>
/// Which of the flows seen a change would cut: each flow between two pods of the current cluster (told by their
/// addresses) is judged by each side's <see cref="NetworkPolicyEvaluator"/>, on the port the pod receives it on (after
/// Service DNAT, where NetworkPolicy judges it), and kept when the current set allows it and the candidate does not.
/// </summary>
/// <param name="Cut">Per source pod, destination pod and port, in that order.</param>
/// <param name="Judged">Connections between two pods (each counted once, however many nodes saw it).</param>
/// <param name="NotJudged">Connections with an end that is no pod of the cluster (a node, the outside): a pod-to-pod what-if does not judge them.</param>
public sealed record FlowImpact(ImmutableArray<FlowCut> Cut, int Judged, int NotJudged)
{
    public static FlowImpact Judge(ClusterState current, ClusterState candidate, IEnumerable<RecentFlow> flows)
    {
        var byAddress = new Dictionary<IPAddress, Pod>();
        foreach (var pod in current.Pods.Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null))
        {
            byAddress.TryAdd(pod.Status.PodIP!, pod);
        }

        // A connection crossing two nodes is seen on both: one connection, two nodes.
        var connections = new Dictionary<(Protocol, IPAddress, int, IPAddress, int), (RecentFlow Flow, SortedSet<string> Nodes)>();
        foreach (var flow in flows)
        {
            var key = (flow.Protocol, flow.Source, flow.SourcePort, flow.Destination, flow.Port);
            if (!connections.TryGetValue(key, out var seen))
            {
                connections[key] = seen = (flow, new SortedSet<string>(StringComparer.Ordinal));
            }

            seen.Nodes.Add(flow.Node);
        }

        var before = NetworkPolicyEvaluator.For(current);
        var after = NetworkPolicyEvaluator.For(candidate);
        var cut = new Dictionary<(string From, string To, PortProtocol Port), (int Count, SortedSet<string> Nodes, Verdict Current, Verdict? Candidate)>();
        int judged = 0, notJudged = 0;
        foreach (var (flow, nodes) in connections.Values)
        {
            if (!byAddress.TryGetValue(flow.Source, out var from) || !byAddress.TryGetValue(flow.Destination, out var to))
            {
                notJudged++;
                continue;
            }

            judged++;
            var now = before.Evaluate(from, to, flow.Port, flow.Protocol);
            var then = candidate.PodsByName.TryGetValue(from.QualifiedName, out var candidateFrom) && candidate.PodsByName.TryGetValue(to.QualifiedName, out var candidateTo)
                ? after.Evaluate(candidateFrom, candidateTo, flow.Port, flow.Protocol)
                : null;
            if (!now.Allowed || then is { Allowed: true })
            {
                continue;
            }

            var key = (from.QualifiedName, to.QualifiedName, new PortProtocol(flow.Port, flow.Protocol));
            if (!cut.TryGetValue(key, out var entry))
            {
                entry = (0, new SortedSet<string>(StringComparer.Ordinal), now, then);
            }

            entry.Nodes.UnionWith(nodes);
            cut[key] = (entry.Count + 1, entry.Nodes, entry.Current, entry.Candidate);
        }

        return new FlowImpact(
            [.. cut.OrderBy(c => c.Key.From, StringComparer.Ordinal).ThenBy(c => c.Key.To, StringComparer.Ordinal).ThenBy(c => c.Key.Port)
                .Select(c => new FlowCut(c.Key.From, c.Key.To, c.Key.Port, c.Value.Count, [.. c.Value.Nodes], c.Value.Current, c.Value.Candidate))],
            judged,
            notJudged);
    }
}
