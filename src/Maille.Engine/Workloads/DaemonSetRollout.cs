using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// The DaemonSet controller's update decisions (<c>pkg/controller/daemon/update.go</c>), as a pure function of the set,
/// its update revision, its eligible nodes and its pods. Every eligible node has a pod (a new node's at the update
/// revision), none other. RollingUpdate without surge replaces an old pod that is not available at once, and available
/// ones while fewer than <c>maxUnavailable</c> nodes are without an available pod; with <c>maxSurge</c>, a new pod starts
/// beside the old one on up to that many nodes at a time (at once where the old one is not available), and the old one
/// goes once the new one is available. OnDelete replaces none. Nodes are taken in name order.
/// </summary>
public static class DaemonSetRollout
{
    /// <param name="available">Whether the pod a <see cref="SetPod"/> stands for exists and is available.</param>
    public static RevisionStep? Step(Workload set, string update, IReadOnlyList<string> nodes, IReadOnlyList<SetPod> recorded, Func<SetPod, bool> available)
    {
        var eligible = nodes.ToHashSet(StringComparer.Ordinal);
        var pods = recorded.Where(p => p.Node is not null && eligible.Contains(p.Node)).ToList();
        pods.AddRange(nodes.Where(n => pods.All(p => p.Node != n)).Select(n => new SetPod(update, n, recorded.Any(p => p.Node == n) ? 1 : 0)));
        pods = Ordered(pods);
        if (!pods.SequenceEqual(recorded))
        {
            return new RevisionStep(pods, $"recorded the pods of {nodes.Count} nodes");
        }

        if (!set.UpdateStrategy.IsRollingUpdate)
        {
            return null;
        }

        var byNode = pods.GroupBy(p => p.Node!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var surge = RolloutFenceposts.Scaled(set.UpdateStrategy.MaxSurge, nodes.Count, roundUp: true);
        var actions = new List<string>();
        var next = surge > 0 ? Surge(update, byNode, available, surge, actions) : Replace(set, update, byNode, available, nodes.Count, actions);
        return actions.Count == 0 ? null : new RevisionStep(Ordered(next), string.Join(", ", actions));
    }

    /// <summary>The nodes a DaemonSet runs on: those its node selector matches that take pods.</summary>
    public static IReadOnlyList<Node> EligibleNodes(Workload set, IEnumerable<Node> nodes) =>
        [.. nodes.Where(n => WorkloadExpander.Matches(set.Template.Spec.NodeSelector, n) && !n.Unschedulable)];

    /// <summary>
    /// The name of the pod <paramref name="pod"/> stands for: <c>name-{5}</c> from the node and, after the first pod
    /// there, the pod's generation, so a replacement has a new name while a set's first pods keep theirs.
    /// </summary>
    public static string PodName(Workload set, SetPod pod)
    {
        var seed = $"{set.Meta.Namespace}/{set.Meta.Name}/{pod.Node}";
        return $"{set.Meta.Name}-{StableHash.Suffix(pod.Generation == 0 ? seed : $"{seed}/{pod.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)}", 5)}";
    }

    /// <summary>The pods once the one <paramref name="deleted"/> stands for is deleted: its node gets a new one unless another pod is there.</summary>
    public static IReadOnlyList<SetPod> AfterDeleting(string update, IReadOnlyList<SetPod> recorded, SetPod deleted)
    {
        var left = recorded.Where(p => p != deleted).ToList();
        if (left.All(p => p.Node != deleted.Node))
        {
            left.Add(new SetPod(update, deleted.Node, NextGeneration(recorded, deleted.Node!)));
        }

        return Ordered(left);
    }

    /// <summary>No surge: old pods deleted and replaced in place, within maxUnavailable.</summary>
    private static List<SetPod> Replace(Workload set, string update, List<IGrouping<string, SetPod>> byNode, Func<SetPod, bool> available, int desired, List<string> actions)
    {
        var maxUnavailable = Math.Max(1, RolloutFenceposts.Scaled(set.UpdateStrategy.MaxUnavailable, desired, roundUp: true));
        var unavailable = byNode.Count(g => !g.Any(available));
        var next = new List<SetPod>();
        var candidates = new List<SetPod>();
        foreach (var node in byNode)
        {
            foreach (var pod in node)
            {
                if (pod.Revision == update)
                {
                    next.Add(pod);
                }
                else if (!available(pod))
                {
                    // Counted already: an old pod that is not available is replaced whatever the budget.
                    next.Add(Replacement(pod, update));
                    actions.Add($"replaced the pod on {pod.Node}");
                }
                else
                {
                    candidates.Add(pod);
                }
            }
        }

        foreach (var pod in candidates)
        {
            if (unavailable < maxUnavailable)
            {
                next.Add(Replacement(pod, update));
                unavailable++;
                actions.Add($"replaced the pod on {pod.Node}");
            }
            else
            {
                next.Add(pod);
            }
        }

        return next;
    }

    /// <summary>With surge: a new pod beside the old one, the old one deleted once the new one is available.</summary>
    private static List<SetPod> Surge(string update, List<IGrouping<string, SetPod>> byNode, Func<SetPod, bool> available, int maxSurge, List<string> actions)
    {
        var next = new List<SetPod>();
        var surging = byNode.Count(g => g.Any(p => p.Revision == update) && g.Any(p => p.Revision != update));
        var candidates = new List<SetPod>();
        foreach (var node in byNode)
        {
            var fresh = node.FirstOrDefault(p => p.Revision == update);
            var old = node.Where(p => p.Revision != update).ToList();
            if (fresh is not null)
            {
                next.Add(fresh);
                if (old.Count > 0 && available(fresh))
                {
                    actions.Add($"deleted the old pod on {node.Key}");
                }
                else
                {
                    next.AddRange(old);
                }

                continue;
            }

            next.AddRange(old);
            if (old.Any(p => !available(p)))
            {
                next.Add(new SetPod(update, node.Key, NextGeneration(old, node.Key)));
                actions.Add($"started a new pod on {node.Key}");
            }
            else
            {
                candidates.Add(old[0]);
            }
        }

        foreach (var pod in candidates.TakeWhile(_ => surging < maxSurge))
        {
            next.Add(new SetPod(update, pod.Node, NextGeneration([pod], pod.Node!)));
            surging++;
            actions.Add($"started a new pod on {pod.Node}");
        }

        return next;
    }

    private static SetPod Replacement(SetPod pod, string update) => new(update, pod.Node, pod.Generation + 1);

    private static int NextGeneration(IEnumerable<SetPod> pods, string node) => pods.Where(p => p.Node == node).Select(p => p.Generation + 1).DefaultIfEmpty(0).Max();

    private static List<SetPod> Ordered(IEnumerable<SetPod> pods) => [.. pods.OrderBy(p => p.Node, StringComparer.Ordinal).ThenBy(p => p.Generation)];
}
