using System.Runtime.CompilerServices;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// A workload's counts as its controller would report them, from the pods it owns in the planned cluster: how many it
/// wants (<see cref="Desired"/>: replicas, or a DaemonSet's eligible nodes), has (<see cref="Current"/>, terminating
/// pods excluded), and how many of those are Ready. Every pod comes from the one template and minReadySeconds is 0, so
/// up to date is current and available is ready.
/// </summary>
public sealed record WorkloadStatus(int Desired, int Current, int Ready)
{
    public int UpToDate => Current;

    public int Available => Ready;

    /// <summary>Each cluster's pods that are not terminating, by namespace and owner, made once per (immutable) cluster.</summary>
    private static readonly ConditionalWeakTable<ClusterState, Dictionary<(string Namespace, OwnerRef Owner), List<Pod>>> PodsByOwner = new();

    public static WorkloadStatus Of(Workload workload, ClusterState cluster)
    {
        var byOwner = PodsByOwner.GetValue(cluster, c => c.Pods.Where(p => p.Owner is not null && !p.IsTerminating)
            .GroupBy(p => (p.Namespace, p.Owner!)).ToDictionary(g => g.Key, g => g.ToList()));
        var pods = Owners(workload, cluster).SelectMany(owner => byOwner.GetValueOrDefault((workload.Meta.Namespace!, owner)) ?? []).ToList();
        var ready = pods.Count(p => p.Status.Ready == true);
        return new WorkloadStatus(workload.Kind == WorkloadKind.DaemonSet ? pods.Count : workload.Replicas, pods.Count, ready);
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

        var owner = new OwnerRef(nameof(WorkloadKind.Deployment), workload.Meta.Name);
        return
        [
            new OwnerRef(nameof(WorkloadKind.ReplicaSet), WorkloadExpander.ReplicaSetOf(workload).Meta.Name),
            .. cluster.Workloads.Where(w => w.Kind == WorkloadKind.ReplicaSet && w.Meta.Namespace == workload.Meta.Namespace && w.Owner == owner)
                .Select(w => new OwnerRef(nameof(WorkloadKind.ReplicaSet), w.Meta.Name)),
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
        var made = cluster.Workloads.Where(w => w.Kind == WorkloadKind.Deployment).Select(WorkloadExpander.ReplicaSetOf).Where(rs => !names.Contains(rs.Meta.QualifiedName));
        return given.Concat(made).OrderBy(w => w.Meta.Namespace, StringComparer.Ordinal).ThenBy(w => w.Meta.Name, StringComparer.Ordinal);
    }
}
