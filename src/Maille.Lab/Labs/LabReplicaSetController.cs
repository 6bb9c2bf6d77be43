using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// What a lab's ReplicaSet controller adds to a delete: a pod a ReplicaSet object owns has no manifest of its own, so
/// deleting it records its ordinal on the ReplicaSet (<see cref="ReplicaSetPodNames.ReplacedPodsAnnotation"/>), and the
/// plan replaces it with a pod of a new name, as the controller of a cluster makes a replacement. A StatefulSet's or
/// DaemonSet's pod is made again by its set (<see cref="LabSetController.Delete"/>).
/// </summary>
internal static class LabReplicaSetController
{
    /// <summary>The change that deletes <paramref name="key"/>: the object itself, or, for a ReplicaSet's pod, its replacement.</summary>
    public static LabChange Delete(LabManifests manifests, ClusterState published, ObjectKey key, DateTimeOffset now)
    {
        if (LabSetController.Delete(manifests, published, key, now) is { } remade)
        {
            return remade;
        }

        if (key is not { Group: "", Kind: "Pod" } || manifests.TryGet(key, out _)
            || !published.PodsByName.TryGetValue($"{key.Namespace}/{key.Name}", out var pod)
            || pod.Owner is not { Kind: nameof(WorkloadKind.ReplicaSet) } owner
            || !manifests.TryGet(new ObjectKey("apps", "ReplicaSet", key.Namespace, owner.Name), out var stored)
            || published.Workloads.FirstOrDefault(w => w.Kind == WorkloadKind.ReplicaSet && w.Meta.Namespace == key.Namespace && w.Meta.Name == owner.Name) is not { } replicaSet
            || ReplicaSetPodNames.AfterDeleting(replicaSet, pod.Name) is not { } replaced)
        {
            return manifests.Delete([key]);
        }

        var applied = manifests.Apply([LabDeploymentController.WithAnnotations(stored, new() { [ReplicaSetPodNames.ReplacedPodsAnnotation] = replaced })], now);
        return new LabChange(applied.Manifests, [new ObjectOutcome(key, "deleted"), .. applied.Outcomes], []);
    }
}
