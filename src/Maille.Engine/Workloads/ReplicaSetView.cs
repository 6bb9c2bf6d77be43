using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// One ReplicaSet of a Deployment as its controller reads it: the replicas it asks for, its revision and the
/// annotations the controller wrote on it (<c>desired-replicas</c>, <c>max-replicas</c>), and the pods it has and how
/// many of them are available (Ready for the Deployment's <c>minReadySeconds</c> when the pods' ready times are given).
/// </summary>
public sealed record ReplicaSetView(string Name, int Replicas, long Revision, int? DesiredReplicas, int? MaxReplicas, int Pods, int Available)
{
    public static ReplicaSetView Of(Workload replicaSet, ClusterState cluster, PodAvailability? availability = null, int? minReadySeconds = null)
    {
        var status = WorkloadStatus.Of(replicaSet, cluster, availability, minReadySeconds);
        var annotations = replicaSet.Meta.Annotations;
        return new ReplicaSetView(
            replicaSet.Meta.Name,
            replicaSet.Replicas,
            long.TryParse(annotations.Get(DeploymentRollout.RevisionAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0,
            Number(annotations.Get(DeploymentRollout.DesiredReplicasAnnotation)),
            Number(annotations.Get(DeploymentRollout.MaxReplicasAnnotation)),
            status.Current,
            status.Available);
    }

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
