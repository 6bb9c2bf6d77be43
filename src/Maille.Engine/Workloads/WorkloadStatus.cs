using System.Runtime.CompilerServices;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// A workload's counts as its controller would report them, from the pods it owns in the planned cluster: how many it
/// wants (<see cref="Desired"/>: replicas, or a DaemonSet's eligible nodes), has (<see cref="Current"/>, terminating
/// pods excluded), how many of those are Ready, and how many available: Ready for <c>minReadySeconds</c> (when the pods'
/// ready times are given, <see cref="PodAvailability"/>; else available is ready). A Deployment's pods
/// are up to date (<see cref="Updated"/>) when its current template's ReplicaSet owns them; any other workload's pods
/// all come from its one template.
/// </summary>
public sealed record WorkloadStatus(int Desired, int Current, int Ready)
{
    /// <summary>Pods made from the current template: a Deployment's new ReplicaSet's; every pod of another kind.</summary>
    public int Updated { get; init; } = Current;

    /// <summary>
    /// A Deployment's <c>unavailableReplicas</c>: the replicas its ReplicaSets ask for that are not available (never
    /// below 0); for other kinds, the wanted pods that are not available.
    /// </summary>
    public int Unavailable { get; init; } = Math.Max(Desired - Ready, 0);

    public int UpToDate => Updated;

    /// <summary>A StatefulSet's or DaemonSet's update revision (the ControllerRevision of its template), when recorded.</summary>
    public string? UpdateRevision { get; init; }

    /// <summary>A StatefulSet's current revision (<see cref="SetRevisions.Current"/>).</summary>
    public string? CurrentRevision { get; init; }

    /// <summary>A StatefulSet's pods at its current revision (<c>status.currentReplicas</c>).</summary>
    public int AtCurrentRevision { get; init; } = Current;

    /// <summary>Ready pods that have been Ready for <c>minReadySeconds</c>; all the ready ones when that is 0 or no times are known.</summary>
    public int Available { get; init; } = Ready;

    /// <summary>Each cluster's pods that are not terminating, by namespace and owner, made once per (immutable) cluster.</summary>
    private static readonly ConditionalWeakTable<ClusterState, Dictionary<(string Namespace, OwnerRef Owner), List<Pod>>> PodsByOwner = new();

    /// <summary>Each cluster's ReplicaSets owned by a Deployment, by the Deployment's <c>namespace/name</c>.</summary>
    private static readonly ConditionalWeakTable<ClusterState, ILookup<string, Workload>> ReplicaSetsByDeployment = new();

    /// <param name="availability">When the pods became ready and the time now, for <c>minReadySeconds</c>.</param>
    /// <param name="minReadySeconds">The workload's own unless given (a Deployment's ReplicaSet counts by its Deployment's).</param>
    public static WorkloadStatus Of(Workload workload, ClusterState cluster, PodAvailability? availability = null, int? minReadySeconds = null)
    {
        var byOwner = PodsByOwner.GetValue(cluster, c => c.Pods.Where(p => p.Owner is not null && !p.IsTerminating)
            .GroupBy(p => (p.Namespace, p.Owner!)).ToDictionary(g => g.Key, g => g.ToList()));
        var pods = Owners(workload, cluster).SelectMany(owner => byOwner.GetValueOrDefault((workload.Meta.Namespace!, owner)) ?? []).ToList();
        var readyPods = pods.Where(p => p.Status.Ready == true).ToList();
        var minReady = minReadySeconds ?? workload.MinReadySeconds;
        // A DaemonSet wants one pod per node it runs on (two there while a rolling update surges count once).
        var desired = workload.Kind == WorkloadKind.DaemonSet ? pods.Select(p => p.Spec.NodeName).Distinct(StringComparer.Ordinal).Count() : workload.Replicas;
        var available = availability is null || minReady <= 0 ? readyPods.Count : readyPods.Count(p => availability.IsAvailable(p, minReady));
        var status = new WorkloadStatus(desired, pods.Count, readyPods.Count) { Available = available, Unavailable = Math.Max(desired - available, 0) };
        if (workload.Kind is WorkloadKind.StatefulSet or WorkloadKind.DaemonSet)
        {
            return WithRevisions(status, workload, cluster, pods);
        }

        if (workload.Kind != WorkloadKind.Deployment)
        {
            return status;
        }

        var newReplicaSet = new OwnerRef(nameof(WorkloadKind.ReplicaSet), DeploymentRollout.NewReplicaSetName(workload));
        var owned = OwnedReplicaSets(workload, cluster).ToList();
        // Without ReplicaSet objects (a plan of files), the one made for the template asks for the replicas.
        var asked = owned.Count == 0 ? workload.Replicas : owned.Sum(rs => rs.Replicas);
        return status with
        {
            Updated = pods.Count(p => p.Owner == newReplicaSet),
            Unavailable = Math.Max(asked - status.Available, 0),
        };
    }

    /// <summary>
    /// A StatefulSet's or DaemonSet's counts by revision, read from its pods' <c>controller-revision-hash</c>: updated
    /// are those at the update revision (all of them before any revision is recorded, none while a new template waits
    /// for its revision), current a StatefulSet's at its
    /// current revision.
    /// </summary>
    private static WorkloadStatus WithRevisions(WorkloadStatus status, Workload set, ClusterState cluster, List<Pod> pods)
    {
        var owned = SetRevisions.Owned(set, cluster.ControllerRevisions);
        if (SetRevisions.Update(set, owned) is not { } update)
        {
            // A new template whose revision the controller has not recorded yet: no pod runs it.
            return owned.Count == 0 ? status : status with { Updated = 0 };
        }

        var current = set.Kind == WorkloadKind.StatefulSet ? SetRevisions.Current(set, update.Meta.Name) : null;
        int At(string revision) => pods.Count(p => p.Meta.Labels.Get(SetRevisions.PodRevisionLabel) == SetRevisions.LabelValue(set, revision));
        return status with
        {
            UpdateRevision = update.Meta.Name,
            CurrentRevision = current,
            Updated = At(update.Meta.Name),
            AtCurrentRevision = current is null ? status.Current : At(current),
        };
    }

    /// <summary>The ReplicaSets in the cluster a Deployment controls (by name, and by uid where the reference records one).</summary>
    public static IEnumerable<Workload> OwnedReplicaSets(Workload deployment, ClusterState cluster)
    {
        var byDeployment = ReplicaSetsByDeployment.GetValue(cluster, c => c.Workloads
            .Where(w => w.Kind == WorkloadKind.ReplicaSet && w.Owner?.Kind == nameof(WorkloadKind.Deployment))
            .ToLookup(w => $"{w.Meta.Namespace}/{w.Owner!.Name}", StringComparer.Ordinal));
        return byDeployment[deployment.Meta.QualifiedName]
            .Where(w => w.OwnerUid is null || deployment.Meta.Uid is null || w.OwnerUid == deployment.Meta.Uid);
    }

    /// <summary>
    /// The owner references of the workload's pods: a Deployment's pods are owned by its ReplicaSets (the one made for
    /// its template, and any in the input that name it as their owner, as in a dump of a cluster).
    /// </summary>
    private static HashSet<OwnerRef> Owners(Workload workload, ClusterState cluster)
    {
        if (workload.Kind != WorkloadKind.Deployment)
        {
            return [new OwnerRef(workload.Kind.ToString(), workload.Meta.Name)];
        }

        return
        [
            new OwnerRef(nameof(WorkloadKind.ReplicaSet), DeploymentRollout.NewReplicaSetName(workload)),
            .. OwnedReplicaSets(workload, cluster).Select(w => new OwnerRef(nameof(WorkloadKind.ReplicaSet), w.Meta.Name)),
        ];
    }

    /// <summary>
    /// The ReplicaSets of the cluster as <c>get rs</c> lists them: those in the input, and the one each Deployment's
    /// controller makes for its template (unless the input already has it).
    /// </summary>
    public static IEnumerable<Workload> ReplicaSets(ClusterState cluster)
    {
        var given = cluster.Workloads.Where(w => w.Kind == WorkloadKind.ReplicaSet).ToList();
        var names = given.Select(w => w.Meta.QualifiedName).ToHashSet(StringComparer.Ordinal);
        // A Deployment whose ReplicaSets are objects (a lab's controller wrote them, or a dump holds them) has no other.
        var withReplicaSets = given.Where(w => w.Owner?.Kind == nameof(WorkloadKind.Deployment)).Select(w => $"{w.Meta.Namespace}/{w.Owner!.Name}").ToHashSet(StringComparer.Ordinal);
        var made = cluster.Workloads.Where(w => w.Kind == WorkloadKind.Deployment && !withReplicaSets.Contains(w.Meta.QualifiedName))
            .Select(WorkloadExpander.ReplicaSetOf).Where(rs => !names.Contains(rs.Meta.QualifiedName));
        return given.Concat(made).OrderBy(w => w.Meta.Namespace, StringComparer.Ordinal).ThenBy(w => w.Meta.Name, StringComparer.Ordinal);
    }
}
