using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// A running lab's other common changes: pods deleted, or their labels changed, nothing else. Neither moves another
/// object: a planned pod keeps its node and address, Services keep theirs, and no workload adopts or replaces a pod
/// by its labels. What changes is the pod list and the slices of the Services that selected or now select those pods,
/// recomputed as <see cref="ReadinessUpdate"/> does, so the result equals planning the new desired state again with
/// the old allocations, at a cost proportional to the change instead of to the lab.
/// </summary>
public static class PodChangeUpdate
{
    /// <summary>
    /// <paramref name="cluster"/> without the pods named in <paramref name="removed"/> and with each pod of
    /// <paramref name="relabeled"/> (as read from its new manifest) carrying its new labels; null when the change is not
    /// of this kind, and a full plan must decide: a pod that a workload made or that names an owner (removing it
    /// changes what the workload makes), the last pod of a namespace no manifest declares (the namespace goes too), or a
    /// relabeled pod that planning warned about (the warning's line is in the old manifest).
    /// </summary>
    public static ClusterState? Apply(ClusterState cluster, IReadOnlyCollection<string> removed, IReadOnlyCollection<Pod> relabeled)
    {
        var touched = new List<Pod>();
        foreach (var name in removed)
        {
            if (!cluster.PodsByName.TryGetValue(name, out var pod) || pod.Owner is not null || InUndeclaredNamespace(cluster, pod))
            {
                return null;
            }

            touched.Add(pod);
        }

        var replacements = new Dictionary<string, Pod>(StringComparer.Ordinal);
        foreach (var update in relabeled)
        {
            // A warning about the pod (it stays Pending, say) points into its manifest, which the change rewrote.
            if (!cluster.PodsByName.TryGetValue(update.QualifiedName, out var pod) || pod.Owner is not null || update.Owner is not null || removed.Contains(update.QualifiedName)
                || cluster.Warnings.Any(w => w.Object == new ObjectRef("Pod", pod.Namespace, pod.Name)))
            {
                return null;
            }

            var replacement = pod with { Meta = pod.Meta with { Labels = update.Labels, Source = update.Meta.Source } };
            replacements[pod.QualifiedName] = replacement;
            touched.Add(pod);
            touched.Add(replacement);
        }

        var gone = removed.ToHashSet(StringComparer.Ordinal);
        var pods = cluster.Pods.Where(p => !gone.Contains(p.QualifiedName)).Select(p => replacements.GetValueOrDefault(p.QualifiedName, p)).ToList();
        var replaced = SliceRecompute.For(cluster, pods, touched);

        // What planning said about a pod that is gone goes with it.
        var warnings = gone.Count == 0
            ? cluster.Warnings
            : [.. cluster.Warnings.Where(w => !(w.Object is { Kind: "Pod" } o && gone.Contains($"{o.Namespace}/{o.Name}")))];
        return cluster.WithPodsAndSlices(pods, replaced, warnings);
    }

    private static bool InUndeclaredNamespace(ClusterState cluster, Pod pod) =>
        cluster.NamespacesByName.TryGetValue(pod.Namespace, out var ns) && ns.Implicit && !ClusterValidator.BuiltInNamespaces.Contains(pod.Namespace);
}
