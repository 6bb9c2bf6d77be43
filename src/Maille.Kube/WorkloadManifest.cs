using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// What Maille reads of a Deployment, ReplicaSet, StatefulSet or DaemonSet: KubernetesClient has one type per kind, and
/// their validation and conversion differ only where <see cref="Kind"/> says so.
/// </summary>
internal sealed record WorkloadManifest(
    WorkloadKind Kind, V1ObjectMeta? Metadata, int? Replicas, V1LabelSelector? Selector, V1PodTemplateSpec? Template, string? ServiceName)
{
    /// <summary>A Deployment's <c>spec.strategy</c>.</summary>
    public V1DeploymentStrategy? Strategy { get; init; }

    /// <summary>A Deployment's <c>spec.revisionHistoryLimit</c>.</summary>
    public int? RevisionHistoryLimit { get; init; }

    /// <summary>A Deployment's <c>spec.paused</c>.</summary>
    public bool? Paused { get; init; }

    /// <summary><c>spec.minReadySeconds</c> (Deployment, ReplicaSet, StatefulSet, DaemonSet).</summary>
    public int? MinReadySeconds { get; init; }

    /// <summary>A StatefulSet's <c>spec.podManagementPolicy</c> as written.</summary>
    public string? PodManagementPolicy { get; init; }

    /// <summary>A Deployment's <c>spec.progressDeadlineSeconds</c>.</summary>
    public int? ProgressDeadlineSeconds { get; init; }

    public static WorkloadManifest Of(V1Deployment deployment) =>
        new(WorkloadKind.Deployment, deployment.Metadata, deployment.Spec?.Replicas, deployment.Spec?.Selector, deployment.Spec?.Template, null)
        {
            Strategy = deployment.Spec?.Strategy,
            RevisionHistoryLimit = deployment.Spec?.RevisionHistoryLimit,
            Paused = deployment.Spec?.Paused,
            MinReadySeconds = deployment.Spec?.MinReadySeconds,
            ProgressDeadlineSeconds = deployment.Spec?.ProgressDeadlineSeconds,
        };

    public static WorkloadManifest Of(V1ReplicaSet replicaSet) =>
        new(WorkloadKind.ReplicaSet, replicaSet.Metadata, replicaSet.Spec?.Replicas, replicaSet.Spec?.Selector, replicaSet.Spec?.Template, null)
        {
            MinReadySeconds = replicaSet.Spec?.MinReadySeconds,
        };

    /// <summary>A StatefulSet's or DaemonSet's <c>spec.updateStrategy</c> with the API's defaults.</summary>
    public SetUpdateStrategy? UpdateStrategy { get; init; }

    /// <summary>A StatefulSet's or DaemonSet's <c>spec.updateStrategy.type</c> as written (null when absent).</summary>
    public string? UpdateStrategyType { get; init; }

    /// <summary>Whether a StatefulSet's or DaemonSet's <c>spec.updateStrategy.rollingUpdate</c> is written.</summary>
    public bool HasRollingUpdate { get; init; }

    public static WorkloadManifest Of(V1StatefulSet statefulSet) =>
        new(WorkloadKind.StatefulSet, statefulSet.Metadata, statefulSet.Spec?.Replicas, statefulSet.Spec?.Selector, statefulSet.Spec?.Template, statefulSet.Spec?.ServiceName)
        {
            RevisionHistoryLimit = statefulSet.Spec?.RevisionHistoryLimit,
            MinReadySeconds = statefulSet.Spec?.MinReadySeconds,
            PodManagementPolicy = statefulSet.Spec?.PodManagementPolicy,
            UpdateStrategyType = statefulSet.Spec?.UpdateStrategy?.Type,
            HasRollingUpdate = statefulSet.Spec?.UpdateStrategy?.RollingUpdate is not null,
            UpdateStrategy = statefulSet.Spec?.UpdateStrategy is { } strategy
                ? new SetUpdateStrategy
                {
                    Type = strategy.Type ?? SetUpdateStrategy.RollingUpdate,
                    Partition = strategy.RollingUpdate?.Partition ?? 0,
                    MaxUnavailable = strategy.RollingUpdate?.MaxUnavailable?.Value ?? SetUpdateStrategy.Default.MaxUnavailable,
                }
                : null,
        };

    /// <summary>A DaemonSet has no replica count: one pod per eligible node.</summary>
    public static WorkloadManifest Of(V1DaemonSet daemonSet) =>
        new(WorkloadKind.DaemonSet, daemonSet.Metadata, null, daemonSet.Spec?.Selector, daemonSet.Spec?.Template, null)
        {
            RevisionHistoryLimit = daemonSet.Spec?.RevisionHistoryLimit,
            MinReadySeconds = daemonSet.Spec?.MinReadySeconds,
            UpdateStrategyType = daemonSet.Spec?.UpdateStrategy?.Type,
            HasRollingUpdate = daemonSet.Spec?.UpdateStrategy?.RollingUpdate is not null,
            UpdateStrategy = daemonSet.Spec?.UpdateStrategy is { } strategy
                ? new SetUpdateStrategy
                {
                    Type = strategy.Type ?? SetUpdateStrategy.RollingUpdate,
                    MaxUnavailable = strategy.RollingUpdate?.MaxUnavailable?.Value ?? SetUpdateStrategy.Default.MaxUnavailable,
                    MaxSurge = strategy.RollingUpdate?.MaxSurge?.Value ?? SetUpdateStrategy.Default.MaxSurge,
                }
                : null,
        };
}
