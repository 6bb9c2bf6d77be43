using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// The Deployment controller's decisions (kube-controller-manager's <c>pkg/controller/deployment</c>), as pure
/// functions of the Deployment and the ReplicaSets it owns. One call decides one action, as one sync of the real
/// controller does: record the new ReplicaSet's revision, scale proportionally when the replicas changed, create the
/// new ReplicaSet, scale it up within <c>maxSurge</c>, scale old ones down within <c>maxUnavailable</c> (unhealthy pods
/// first), or, once complete, delete old ReplicaSets beyond <c>revisionHistoryLimit</c>. Whoever runs it applies the
/// step and calls it again once pods have moved, until it answers null: the rollout's progress is the ReplicaSets
/// themselves, never time kept here.
/// </summary>
public static class DeploymentRollout
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";

    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <summary>The label that tells a ReplicaSet's pods from another's (its template's hash).</summary>
    public const string PodTemplateHashLabel = WorkloadExpander.PodTemplateHashLabel;

    /// <summary>The ReplicaSet the Deployment's current template belongs to: <c>name-{pod-template-hash}</c>.</summary>
    public static string NewReplicaSetName(Workload deployment) => $"{deployment.Meta.Name}-{WorkloadExpander.TemplateHash(deployment)}";

    /// <summary>The next action for <paramref name="deployment"/>, or null when there is nothing to do until pods change.</summary>
    public static RolloutStep? Step(Workload deployment, IReadOnlyList<ReplicaSetView> owned)
    {
        var newName = NewReplicaSetName(deployment);
        var current = owned.FirstOrDefault(r => r.Name == newName);
        var old = owned.Where(r => r.Name != newName).OrderBy(r => r.Revision).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var fence = RolloutFenceposts.Of(deployment);
        var maxOldRevision = old.Count == 0 ? 0 : old.Max(r => r.Revision);

        // A template that went back to an older ReplicaSet's (a rollback) makes it the newest revision again; an
        // adopted ReplicaSet without a revision gets the first.
        if (current is not null && current.Revision <= maxOldRevision)
        {
            return Set(owned, [current with { Revision = maxOldRevision + 1 }], $"set revision of {current.Name} to {maxOldRevision + 1}");
        }

        if (IsScalingEvent(deployment, owned) && Scale(deployment, current, owned, fence) is { } scaled)
        {
            return scaled;
        }

        // A paused Deployment still scales and keeps its history trimmed, but starts or continues no rollout: no new
        // ReplicaSet, no step of surge or unavailability (the controller's sync() instead of its rollout).
        if (deployment.Paused)
        {
            return current is null ? null : Cleanup(deployment, current, old, owned);
        }

        return deployment.Strategy.IsRollingUpdate
            ? Rolling(deployment, newName, current, old, owned, fence)
            : Recreate(deployment, newName, current, old, owned, fence);
    }

    /// <summary>Whether the Deployment is done: every replica updated and available, and no old pods left.</summary>
    public static bool IsComplete(Workload deployment, WorkloadStatus status) =>
        status.Updated == deployment.Replicas && status.Current == deployment.Replicas && status.Available == deployment.Replicas;

    /// <summary>
    /// The annotation in which a lab's Deployment controller records when a rollout exceeded its
    /// <c>progressDeadlineSeconds</c> (the real controller keeps it in its Progressing condition, which the lab computes).
    /// </summary>
    public const string ProgressDeadlineExceededAnnotation = "maille.dev/progress-deadline-exceeded";

    /// <summary>
    /// The Deployment's <c>Available</c> and <c>Progressing</c> conditions as its controller writes them: available when
    /// no more pods are unavailable than <c>maxUnavailable</c> allows; progressing until complete, Unknown
    /// (<c>DeploymentPaused</c>) while paused, Unknown (<c>DeploymentResumed</c>) once resumed until the rollout
    /// progresses again (<see cref="DeploymentProgressRecord"/>), False (<c>ProgressDeadlineExceeded</c>) once the lab's controller recorded
    /// that the rollout made no progress for <c>progressDeadlineSeconds</c>.
    /// </summary>
    public static IReadOnlyList<DeploymentCondition> Conditions(Workload deployment, WorkloadStatus status)
    {
        var available = status.Available >= deployment.Replicas - RolloutFenceposts.AllowedUnavailable(deployment);
        var newName = NewReplicaSetName(deployment);
        return
        [
            available
                ? new DeploymentCondition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.")
                : new DeploymentCondition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            deployment.Paused
                ? new DeploymentCondition("Progressing", null, "DeploymentPaused", "Deployment is paused")
                : IsComplete(deployment, status)
                ? new DeploymentCondition("Progressing", true, "NewReplicaSetAvailable", $"ReplicaSet \"{newName}\" has successfully progressed.")
                : deployment.Meta.Annotations.Get(ProgressDeadlineExceededAnnotation) is not null
                ? new DeploymentCondition("Progressing", false, "ProgressDeadlineExceeded", $"ReplicaSet \"{newName}\" has timed out progressing.")
                : DeploymentProgressRecord.Of(deployment) is { Reason: DeploymentProgressRecord.Resumed }
                ? new DeploymentCondition("Progressing", null, DeploymentProgressRecord.Resumed, "Deployment is resumed")
                : new DeploymentCondition("Progressing", true, "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing."),
        ];
    }

    /// <summary>
    /// How many replicas the new ReplicaSet may have now: up to the Deployment's replicas, while all ReplicaSets
    /// together stay within replicas + maxSurge (Recreate: the replicas at once).
    /// </summary>
    public static int NewReplicas(Workload deployment, RolloutFenceposts fence, int allReplicas, int newReplicas)
    {
        if (!deployment.Strategy.IsRollingUpdate)
        {
            return deployment.Replicas;
        }

        var maxTotal = deployment.Replicas + fence.MaxSurge;
        if (allReplicas >= maxTotal)
        {
            return newReplicas;
        }

        return newReplicas + Math.Min(maxTotal - allReplicas, deployment.Replicas - newReplicas);
    }

    private static RolloutStep? Rolling(Workload d, string newName, ReplicaSetView? current, List<ReplicaSetView> old, IReadOnlyList<ReplicaSetView> owned, RolloutFenceposts fence)
    {
        var all = owned.Sum(r => r.Replicas);
        if (current is null)
        {
            var created = Sized(d, fence, new ReplicaSetView(newName, 0, MaxRevision(owned) + 1, null, null, 0, 0), NewReplicas(d, fence, all, 0));
            return new RolloutStep([.. owned, created], $"created {newName} with {created.Replicas} replicas");
        }

        if (current.Replicas > d.Replicas)
        {
            return Set(owned, [Sized(d, fence, current, d.Replicas)], $"scaled {current.Name} down to {d.Replicas}");
        }

        if (current.Replicas < d.Replicas && NewReplicas(d, fence, all, current.Replicas) is var up && up != current.Replicas)
        {
            return Set(owned, [Sized(d, fence, current, up)], $"scaled {current.Name} up to {up}");
        }

        if (ScaleDownOld(d, current, old, all, fence) is { Count: > 0 } down)
        {
            return Set(owned, down, string.Join(", ", down.Select(r => $"scaled {r.Name} down to {r.Replicas}")));
        }

        return Cleanup(d, current, old, owned);
    }

    /// <summary>
    /// The old ReplicaSets scaled down as far as availability allows: first their pods that are not available (they
    /// count for nothing), then available ones while more than replicas - maxUnavailable stay available, oldest first.
    /// </summary>
    private static List<ReplicaSetView> ScaleDownOld(Workload d, ReplicaSetView current, List<ReplicaSetView> old, int all, RolloutFenceposts fence)
    {
        if (old.Sum(r => r.Replicas) == 0)
        {
            return [];
        }

        var minAvailable = d.Replicas - fence.MaxUnavailable;
        var maxScaledDown = all - minAvailable - (current.Replicas - current.Available);
        if (maxScaledDown <= 0)
        {
            return [];
        }

        var working = old.ToList();
        var cleaned = 0;
        for (var i = 0; i < working.Count && cleaned < maxScaledDown; i++)
        {
            var unhealthy = working[i].Replicas - working[i].Available;
            if (working[i].Replicas == 0 || unhealthy <= 0)
            {
                continue;
            }

            var count = Math.Min(maxScaledDown - cleaned, unhealthy);
            working[i] = working[i] with { Replicas = working[i].Replicas - count };
            cleaned += count;
        }

        var available = working.Sum(r => r.Available) + current.Available;
        var scaledDown = 0;
        for (var i = 0; i < working.Count && available > minAvailable && scaledDown < available - minAvailable; i++)
        {
            var count = Math.Min(working[i].Replicas, available - minAvailable - scaledDown);
            working[i] = working[i] with { Replicas = working[i].Replicas - count };
            scaledDown += count;
        }

        return [.. working.Zip(old).Where(p => p.First.Replicas != p.Second.Replicas).Select(p => Sized(d, fence, p.Second, p.First.Replicas))];
    }

    private static RolloutStep? Recreate(Workload d, string newName, ReplicaSetView? current, List<ReplicaSetView> old, IReadOnlyList<ReplicaSetView> owned, RolloutFenceposts fence)
    {
        if (old.Where(r => r.Replicas > 0).ToList() is { Count: > 0 } active)
        {
            return Set(owned, [.. active.Select(r => Sized(d, fence, r, 0))], string.Join(", ", active.Select(r => $"scaled {r.Name} down to 0")));
        }

        // Recreate: the new pods start only once every old one is gone.
        if (old.Any(r => r.Pods > 0))
        {
            return null;
        }

        if (current is null)
        {
            var created = Sized(d, fence, new ReplicaSetView(newName, 0, MaxRevision(owned) + 1, null, null, 0, 0), d.Replicas);
            return new RolloutStep([.. owned, created], $"created {newName} with {created.Replicas} replicas");
        }

        if (current.Replicas != d.Replicas)
        {
            return Set(owned, [Sized(d, fence, current, d.Replicas)], $"scaled {current.Name} to {d.Replicas}");
        }

        return Cleanup(d, current, old, owned);
    }

    /// <summary>Once the rollout is complete, the oldest ReplicaSets without pods beyond <c>revisionHistoryLimit</c> are deleted.</summary>
    private static RolloutStep? Cleanup(Workload d, ReplicaSetView current, List<ReplicaSetView> old, IReadOnlyList<ReplicaSetView> owned)
    {
        if (current.Replicas != d.Replicas || current.Available < d.Replicas || old.Any(r => r.Replicas > 0 || r.Pods > 0))
        {
            return null;
        }

        var excess = old.Count - d.RevisionHistoryLimit;
        if (excess <= 0)
        {
            return null;
        }

        var deleted = old.Take(excess).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return new RolloutStep([.. owned.Where(r => !deleted.Contains(r.Name))], $"deleted {string.Join(", ", deleted.Order(StringComparer.Ordinal))} (revision history limit {d.RevisionHistoryLimit})");
    }

    /// <summary>The replicas were changed while ReplicaSets hold pods: an active one was sized for other replicas.</summary>
    private static bool IsScalingEvent(Workload d, IReadOnlyList<ReplicaSetView> owned) =>
        owned.Any(r => r.Replicas > 0 && r.DesiredReplicas is { } desired && desired != d.Replicas);

    /// <summary>
    /// A scaling event: one active ReplicaSet (or none: the newest) takes the replicas; several share the change in
    /// proportion to their size (as sized for the replicas + maxSurge they were made for), the rest going to the
    /// largest. Null for Recreate with several active, which the rollout handles.
    /// </summary>
    private static RolloutStep? Scale(Workload d, ReplicaSetView? current, IReadOnlyList<ReplicaSetView> owned, RolloutFenceposts fence)
    {
        var active = owned.Where(r => r.Replicas > 0).ToList();
        var only = active.Count switch
        {
            1 => active[0],
            0 => current ?? owned.OrderByDescending(r => r.Revision).FirstOrDefault(),
            _ => null,
        };
        if (only is not null)
        {
            return Set(owned, [Sized(d, fence, only, d.Replicas)], $"scaled {only.Name} to {d.Replicas}");
        }

        if (current is not null && current.Replicas == d.Replicas && current.DesiredReplicas == d.Replicas && current.Available >= d.Replicas)
        {
            var old = active.Where(r => r.Name != current.Name).ToList();
            return Set(owned, [.. old.Select(r => Sized(d, fence, r, 0))], string.Join(", ", old.Select(r => $"scaled {r.Name} down to 0")));
        }

        if (!d.Strategy.IsRollingUpdate)
        {
            return null;
        }

        var allowed = d.Replicas > 0 ? d.Replicas + fence.MaxSurge : 0;
        var toAdd = allowed - active.Sum(r => r.Replicas);
        var ordered = toAdd > 0
            ? active.OrderByDescending(r => r.Replicas).ThenByDescending(r => r.Revision).ToList()
            : active.OrderByDescending(r => r.Replicas).ThenBy(r => r.Revision).ToList();
        var pods = owned.Sum(r => r.Pods);
        var sizes = new int[ordered.Count];
        var added = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var proportion = Proportion(ordered[i], d, fence, pods, toAdd, added);
            sizes[i] = ordered[i].Replicas + proportion;
            added += proportion;
        }

        if (ordered.Count > 0)
        {
            sizes[0] = Math.Max(0, sizes[0] + toAdd - added);
        }

        var resized = ordered.Select((r, i) => Sized(d, fence, r, sizes[i])).ToList();
        return Set(owned, resized, "scaled proportionally: " + string.Join(", ", resized.Select(r => $"{r.Name} to {r.Replicas}")));
    }

    /// <summary>The share of <paramref name="toAdd"/> a ReplicaSet takes, capped at what is left to add (or remove).</summary>
    private static int Proportion(ReplicaSetView rs, Workload d, RolloutFenceposts fence, int pods, int toAdd, int added)
    {
        if (rs.Replicas == 0 || toAdd == 0 || toAdd == added)
        {
            return 0;
        }

        int fraction;
        if (d.Replicas == 0)
        {
            fraction = -rs.Replicas;
        }
        else
        {
            var sizedFor = rs.MaxReplicas ?? pods;
            fraction = sizedFor == 0 ? 0 : (int)Math.Round((double)rs.Replicas * (d.Replicas + fence.MaxSurge) / sizedFor, MidpointRounding.AwayFromZero) - rs.Replicas;
        }

        var left = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, left) : Math.Max(fraction, left);
    }

    /// <summary>A ReplicaSet scaled by the controller: its size and the annotations saying what it was sized for.</summary>
    private static ReplicaSetView Sized(Workload d, RolloutFenceposts fence, ReplicaSetView rs, int replicas) =>
        rs with { Replicas = replicas, DesiredReplicas = d.Replicas, MaxReplicas = d.Replicas + fence.MaxSurge };

    private static long MaxRevision(IReadOnlyList<ReplicaSetView> owned) => owned.Count == 0 ? 0 : owned.Max(r => r.Revision);

    private static RolloutStep Set(IReadOnlyList<ReplicaSetView> owned, IReadOnlyList<ReplicaSetView> changed, string action)
    {
        var byName = changed.ToDictionary(r => r.Name, StringComparer.Ordinal);
        return new RolloutStep([.. owned.Select(r => byName.GetValueOrDefault(r.Name) ?? r)], action);
    }
}
