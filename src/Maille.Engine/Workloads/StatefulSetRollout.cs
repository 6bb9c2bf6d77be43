using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// The StatefulSet controller's update decisions (<c>pkg/controller/statefulset</c>), as a pure function of the set,
/// its update and current revisions and its pods: which revision each ordinal's pod runs next. A new ordinal is made
/// at the current revision below <c>partition</c>, at the update revision from it; RollingUpdate replaces pods from
/// the highest ordinal down to <c>partition</c>, each only while fewer than <c>maxUnavailable</c> pods (1 by default)
/// are unavailable, so the next waits until the last replaced is available again; OnDelete replaces none (a deleted
/// pod comes back at the update revision, <see cref="AfterDeleting"/>). Whoever runs it records the answer and calls
/// it again once pods have moved, until it answers null.
/// </summary>
public static class StatefulSetRollout
{
    /// <param name="recorded">The pods' revisions as recorded, by ordinal (empty before the first record).</param>
    /// <param name="available">Whether the pod of each ordinal exists and is available.</param>
    /// <param name="now">When a replaced pod is made again.</param>
    public static RevisionStep? Step(Workload set, string update, string current, IReadOnlyList<SetPod> recorded, Func<int, bool> available, DateTimeOffset now)
    {
        // A set that recorded nothing yet has all its replicas already (it was read from files, not created through the
        // API): they are recorded as they are.
        if (set.PodManagementPolicy == Workload.Parallel || !SetRevisions.IsRecorded(set))
        {
            var all = Enumerable.Range(0, set.Replicas)
                .Select(i => i < recorded.Count ? recorded[i] : new SetPod(recorded.Count == 0 ? update : NewPodRevision(set, i, update, current)))
                .ToList();
            if (!all.SequenceEqual(recorded))
            {
                return new RevisionStep(all, $"recorded {all.Count} pods' revisions");
            }
        }
        else if (Scaled(set, update, current, recorded, available) is { } scaled)
        {
            return scaled;
        }

        var pods = recorded.ToList();

        if (!set.UpdateStrategy.IsRollingUpdate)
        {
            return null;
        }

        var maxUnavailable = MaxUnavailable(set);
        var unavailable = Enumerable.Range(0, pods.Count).Count(i => !available(i));
        var replaced = new List<int>();
        for (var i = pods.Count - 1; i >= set.UpdateStrategy.Partition && i >= 0; i--)
        {
            if (pods[i].Revision == update)
            {
                continue;
            }

            if (unavailable >= maxUnavailable)
            {
                break;
            }

            pods[i] = Remade(pods[i], update, now);
            unavailable++;
            replaced.Add(i);
        }

        return replaced.Count == 0 ? null : new RevisionStep(pods, $"updated {string.Join(", ", replaced.Select(i => $"{set.Meta.Name}-{i}"))} to {update}");
    }

    /// <summary>
    /// An OrderedReady scale step (the controller's <c>monotonic</c> mode): the next ordinal is made only once every pod
    /// before it is Running and available, and the highest ordinal beyond <c>replicas</c> goes only once every pod below
    /// it is, one pod per step; null when the pods are as many as the replicas.
    /// </summary>
    private static RevisionStep? Scaled(Workload set, string update, string current, IReadOnlyList<SetPod> recorded, Func<int, bool> available)
    {
        if (recorded.Count == set.Replicas)
        {
            return null;
        }

        if (recorded.Count < set.Replicas)
        {
            var ordinal = recorded.Count;
            return Enumerable.Range(0, ordinal).All(available)
                ? new RevisionStep([.. recorded, new SetPod(ordinal == 0 ? update : NewPodRevision(set, ordinal, update, current))], $"made {set.Meta.Name}-{ordinal}")
                : null;
        }

        var highest = recorded.Count - 1;
        return Enumerable.Range(0, highest).All(available)
            ? new RevisionStep([.. recorded.Take(highest)], $"deleted {set.Meta.Name}-{highest}")
            : null;
    }

    /// <summary>The revisions once the pod of <paramref name="ordinal"/> is deleted: it comes back as a new pod would.</summary>
    public static IReadOnlyList<SetPod> AfterDeleting(Workload set, string update, string current, IReadOnlyList<SetPod> recorded, int ordinal, DateTimeOffset now) =>
        [.. Enumerable.Range(0, Math.Max(recorded.Count, ordinal + 1)).Select(i => i == ordinal
            ? Remade(i < recorded.Count ? recorded[i] : null, NewPodRevision(set, i, update, current), now)
            : i < recorded.Count ? recorded[i] : new SetPod(update))];

    /// <summary>A pod deleted and made again under its name: a new creation time (a second later than the old one at least, so a new uid).</summary>
    private static SetPod Remade(SetPod? old, string revision, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        if (old?.Created is { } before && before.ToUnixTimeSeconds() >= seconds)
        {
            seconds = before.ToUnixTimeSeconds() + 1;
        }

        return new SetPod(revision, Created: DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>
    /// <c>maxUnavailable</c> against the replicas, rounded up, at least 1 (as with the MaxUnavailableStatefulSet gate on;
    /// without it the controller takes 1, the default).
    /// </summary>
    public static int MaxUnavailable(Workload set) => Math.Max(1, RolloutFenceposts.Scaled(set.UpdateStrategy.MaxUnavailable, set.Replicas, roundUp: true));

    /// <summary>A pod made now: at the current revision below the partition of a rolling update, else at the update revision.</summary>
    private static string NewPodRevision(Workload set, int ordinal, string update, string current) =>
        set.UpdateStrategy.IsRollingUpdate && ordinal < set.UpdateStrategy.Partition ? current : update;
}
