using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// The names of a ReplicaSet's pods, <c>name-{5}</c> from a hash of an ordinal, never random: the first
/// <c>replicas</c> ordinals that no deleted pod used. A deleted pod's ordinal is recorded on the ReplicaSet, so its
/// replacement takes the next one, a new name, as the ReplicaSet controller gives a replacement a new name.
/// </summary>
public static class ReplicaSetPodNames
{
    /// <summary>The names of the ReplicaSet's pods, in ordinal order.</summary>
    public static IEnumerable<string> Of(Workload replicaSet) => Ordinals(replicaSet).Select(i => Name(replicaSet, i));

    /// <summary>
    /// The annotation in which a lab's ReplicaSet records the pods that were deleted (their ordinals, comma-separated):
    /// each is replaced by a pod of the next unused ordinal, so of a new name, as the ReplicaSet controller replaces a
    /// deleted pod with a new one.
    /// </summary>
    public const string ReplacedPodsAnnotation = "maille.dev/replaced-pods";

    /// <summary>
    /// The ReplicaSet's <see cref="ReplacedPodsAnnotation"/> once <paramref name="podName"/> is deleted, or null when
    /// the ReplicaSet has no such pod.
    /// </summary>
    public static string? AfterDeleting(Workload replicaSet, string podName)
    {
        var replaced = Replaced(replicaSet);
        foreach (var i in Ordinals(replicaSet))
        {
            if (Name(replicaSet, i) == podName)
            {
                return string.Join(",", replaced.Append(i).Order().Select(o => o.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return null;
    }

    /// <summary>The ordinals a ReplicaSet's pods are named from: the first <c>replicas</c> that were not replaced.</summary>
    private static IEnumerable<int> Ordinals(Workload replicaSet)
    {
        var replaced = Replaced(replicaSet);
        return Enumerable.Range(0, int.MaxValue).Where(i => !replaced.Contains(i)).Take(replicaSet.Replicas);
    }

    private static HashSet<int> Replaced(Workload replicaSet) =>
        [.. (replicaSet.Meta.Annotations.Get(ReplacedPodsAnnotation) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).Where(i => i >= 0)];

    private static string Name(Workload replicaSet, int ordinal) =>
        $"{replicaSet.Meta.Name}-{StableHash.Suffix($"{replicaSet.Meta.Namespace}/{replicaSet.Meta.Name}/{ordinal}", 5)}";

}
