using k8s.Models;

namespace Maille.Kube.Schema;

/// <summary>
/// How strategic merge patch merges the lists of the built-in kinds: the <c>patchStrategy</c> and
/// <c>patchMergeKey</c> tags of the API's Go types (KubernetesClient's model does not carry them). A list that is not
/// here is replaced whole, as the API server does for a list without a strategy.
/// </summary>
internal static class PatchMergeKeys
{
    private static readonly Dictionary<(Type Owner, string Field), PatchStrategy> Strategies = new()
    {
        [(typeof(V1ObjectMeta), "ownerReferences")] = PatchStrategy.MergeBy("uid"),
        [(typeof(V1ObjectMeta), "finalizers")] = PatchStrategy.MergeValues,
        [(typeof(V1PodSpec), "containers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "initContainers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "ephemeralContainers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "volumes")] = PatchStrategy.MergeBy("name", retainKeys: true),
        [(typeof(V1PodSpec), "imagePullSecrets")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "hostAliases")] = PatchStrategy.MergeBy("ip"),
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = PatchStrategy.MergeBy("topologyKey"),
        [(typeof(V1PodSpec), "schedulingGates")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "resourceClaims")] = PatchStrategy.MergeBy("name", retainKeys: true),
        [(typeof(V1Container), "ports")] = PatchStrategy.MergeBy("containerPort"),
        [(typeof(V1Container), "env")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1Container), "volumeMounts")] = PatchStrategy.MergeBy("mountPath"),
        [(typeof(V1Container), "volumeDevices")] = PatchStrategy.MergeBy("devicePath"),
        [(typeof(V1EphemeralContainer), "ports")] = PatchStrategy.MergeBy("containerPort"),
        [(typeof(V1EphemeralContainer), "env")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1EphemeralContainer), "volumeMounts")] = PatchStrategy.MergeBy("mountPath"),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = PatchStrategy.MergeBy("devicePath"),
        [(typeof(V1PodStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1PodStatus), "podIPs")] = PatchStrategy.MergeBy("ip"),
        [(typeof(V1ServiceSpec), "ports")] = PatchStrategy.MergeBy("port"),
        [(typeof(V1NodeSpec), "podCIDRs")] = PatchStrategy.MergeValues,
        [(typeof(V1NodeStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1NodeStatus), "addresses")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1DeploymentStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1DeploymentSpec), "strategy")] = PatchStrategy.RetainKeys,
        [(typeof(V1ReplicaSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1StatefulSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1DaemonSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1NamespaceStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1ServiceStatus), "conditions")] = PatchStrategy.MergeBy("type"),
    };

    /// <summary>The strategy of field <paramref name="field"/> of <paramref name="owner"/>; <see cref="PatchStrategy.Replace"/> when it has none.</summary>
    public static PatchStrategy Of(Type owner, string field) => Strategies.GetValueOrDefault((owner, field), PatchStrategy.Replace);
}
