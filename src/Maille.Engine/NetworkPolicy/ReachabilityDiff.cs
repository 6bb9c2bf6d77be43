using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What a change of manifests does to who may reach whom: the cells of two <see cref="ReachabilityMatrix"/>es (the
/// current set and the candidate, pod to pod, per port) that differ, each with the verdicts that decide it on both
/// sides. A pod present on one side only has no connections on the other, so its connections are gained or lost whole.
/// </summary>
/// <remarks>
/// The difference is read from the two matrices, never decided again. Pods are first put in <see cref="PodGroup"/>s,
/// by their class in each evaluator: pods of one class have equal matrix rows and columns, so one representative pair
/// per pair of groups and port answers for all of its pods. This costs groups² × ports pairs of bit tests (the
/// matrices themselves cost rows × rules × pods/64 word operations) and keeps the answer small at scale: 5,000 pods of
/// 50 Deployments differ in at most 50² lines per port, not 25 million.
/// </remarks>
public sealed class ReachabilityDiff
{
    private ReachabilityDiff(ImmutableArray<PortProtocol> ports, ImmutableArray<PodGroup> groups, ImmutableArray<ReachabilityChange> changes)
    {
        Ports = ports;
        Groups = groups;
        Changes = changes;
    }

    /// <summary>The ports compared, sorted by number then protocol.</summary>
    public ImmutableArray<PortProtocol> Ports { get; }

    /// <summary>Every non-hostNetwork pod of either side, in groups, sorted by namespace then first pod.</summary>
    public ImmutableArray<PodGroup> Groups { get; }

    /// <summary>The changed connections, by source namespace, destination namespace, source group, destination group, then port.</summary>
    public ImmutableArray<ReachabilityChange> Changes { get; }

    /// <summary>Connections (ordered pod pairs × ports) the candidate allows and the current set does not.</summary>
    public long Gained => Changes.Where(c => c.Kind == ReachabilityChangeKind.Gained).Sum(c => c.Connections);

    /// <summary>Connections the current set allows and the candidate does not.</summary>
    public long Lost => Changes.Where(c => c.Kind == ReachabilityChangeKind.Lost).Sum(c => c.Connections);

    public bool IsEmpty => Changes.IsEmpty;

    /// <summary>
    /// The difference from <paramref name="current"/> to <paramref name="candidate"/> on <paramref name="ports"/>, or
    /// (when null) on every containerPort/protocol the pods of either side declare.
    /// </summary>
    public static ReachabilityDiff Compute(ClusterState current, ClusterState candidate, IEnumerable<PortProtocol>? ports = null)
    {
        List<Pod> currentPods = [.. current.Pods.Where(p => !p.Spec.HostNetwork)];
        List<Pod> candidatePods = [.. candidate.Pods.Where(p => !p.Spec.HostNetwork)];
        ImmutableArray<PortProtocol> columns = [.. (ports ?? ReachabilityMatrix.DeclaredPorts(currentPods.Concat(candidatePods))).Distinct().Order()];
        var before = Side.Of(current, currentPods, columns);
        var after = Side.Of(candidate, candidatePods, columns);

        var members = new Dictionary<(int Current, int Candidate), List<string>>();
        foreach (var name in before.Rows.Keys.Union(after.Rows.Keys).Order(StringComparer.Ordinal))
        {
            var key = (before.ClassOf(name), after.ClassOf(name));
            if (!members.TryGetValue(key, out var list))
            {
                members[key] = list = [];
            }

            list.Add(name);
        }

        var groups = members.Values
            .Select(pods => (Pods: pods, Namespace: pods[0][..pods[0].IndexOf('/', StringComparison.Ordinal)]))
            .OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Pods[0], StringComparer.Ordinal)
            .Select((g, id) => new PodGroup(id, g.Namespace, [.. g.Pods], after.LabelsOf(g.Pods[0]) ?? before.LabelsOf(g.Pods[0])!, before.Rows.ContainsKey(g.Pods[0]), after.Rows.ContainsKey(g.Pods[0])))
            .ToImmutableArray();

        // Any two distinct members stand for the rest: each group's first member (and its second, for pairs within it),
        // as rows of each side (-1 where the side lacks the pod).
        var first = groups.Select(g => (Before: before.RowOf(g.Pods[0]), After: after.RowOf(g.Pods[0]))).ToArray();
        var second = groups.Select(g => g.Pods.Length > 1 ? (Before: before.RowOf(g.Pods[1]), After: after.RowOf(g.Pods[1])) : (Before: -1, After: -1)).ToArray();
        var changes = ImmutableArray.CreateBuilder<ReachabilityChange>();
        foreach (var from in groups)
        {
            foreach (var to in groups)
            {
                var connections = from.PairsTo(to);
                if (connections == 0)
                {
                    continue;
                }

                var source = first[from.Id];
                var destination = ReferenceEquals(from, to) ? second[to.Id] : first[to.Id];
                for (var port = 0; port < columns.Length; port++)
                {
                    var was = before.IsAllowed(port, source.Before, destination.Before);
                    if (was == after.IsAllowed(port, source.After, destination.After))
                    {
                        continue;
                    }

                    changes.Add(new ReachabilityChange(
                        was ? ReachabilityChangeKind.Lost : ReachabilityChangeKind.Gained,
                        columns[port],
                        from,
                        to,
                        connections,
                        before.VerdictOf(port, source.Before, destination.Before),
                        after.VerdictOf(port, source.After, destination.After)));
                }
            }
        }

        return new ReachabilityDiff(
            columns,
            groups,
            [.. changes.OrderBy(c => c.From.Namespace, StringComparer.Ordinal).ThenBy(c => c.To.Namespace, StringComparer.Ordinal)
                .ThenBy(c => c.From.Id).ThenBy(c => c.To.Id).ThenBy(c => c.Port)]);
    }

    /// <summary>One side's matrix, its evaluator's classes and its rows by pod name.</summary>
    private sealed class Side
    {
        private readonly NetworkPolicyEvaluator _evaluator;
        private readonly ReachabilityMatrix _matrix;

        private Side(NetworkPolicyEvaluator evaluator, ReachabilityMatrix matrix)
        {
            _evaluator = evaluator;
            _matrix = matrix;
            Rows = matrix.Pods.Select((pod, row) => (pod.QualifiedName, row)).ToDictionary(p => p.QualifiedName, p => p.row, StringComparer.Ordinal);
        }

        public Dictionary<string, int> Rows { get; }

        public static Side Of(ClusterState cluster, List<Pod> pods, ImmutableArray<PortProtocol> ports)
        {
            var evaluator = NetworkPolicyEvaluator.For(cluster);
            return new Side(evaluator, ReachabilityMatrix.Compute(evaluator, pods, ports));
        }

        /// <summary>The pod's class id in this side's evaluator; -1 when the side has no such pod.</summary>
        public int ClassOf(string pod) => Rows.TryGetValue(pod, out var row) ? _evaluator.ClassOf(_matrix.Pods[row]).Id : -1;

        public Labels? LabelsOf(string pod) => Rows.TryGetValue(pod, out var row) ? _matrix.Pods[row].Labels : null;

        public int RowOf(string pod) => Rows.TryGetValue(pod, out var row) ? row : -1;

        /// <summary>Whether row <paramref name="from"/> may reach row <paramref name="to"/>; never when either is -1 (absent).</summary>
        public bool IsAllowed(int port, int from, int to) => from >= 0 && to >= 0 && _matrix.IsAllowed(port, from, to);

        public Verdict? VerdictOf(int port, int from, int to) => from >= 0 && to >= 0 ? _matrix[port, from, to] : null;
    }
}
