namespace Maille.Model;

/// <summary>A Deployment, ReplicaSet, StatefulSet or DaemonSet: a pod template with a count (or a node set).</summary>
public sealed record Workload
{
    public required WorkloadKind Kind { get; init; }

    public required ObjectMeta Meta { get; init; }

    /// <summary><c>spec.replicas</c>, defaulting to 1; ignored by DaemonSets.</summary>
    public int Replicas { get; init; } = 1;

    public LabelSelector? Selector { get; init; }

    public required PodTemplate Template { get; init; }

    /// <summary>The controller of this workload in a dump (a ReplicaSet's Deployment), from <c>ownerReferences</c>.</summary>
    public OwnerRef? Owner { get; init; }

    /// <summary>The owner's uid as <c>ownerReferences</c> recorded it (a ReplicaSet a lab's Deployment controller wrote); null when not given.</summary>
    public string? OwnerUid { get; init; }

    /// <summary>A Deployment's <c>spec.strategy</c>; RollingUpdate with 25%/25% when absent.</summary>
    public DeploymentStrategy Strategy { get; init; } = DeploymentStrategy.Default;

    /// <summary>
    /// <c>spec.revisionHistoryLimit</c>: how many old revisions are kept (10 by default): a Deployment's ReplicaSets with
    /// no pods, a StatefulSet's or DaemonSet's ControllerRevisions no pod uses.
    /// </summary>
    public int RevisionHistoryLimit { get; init; } = 10;

    /// <summary>A Deployment's <c>spec.paused</c>: while true its controller starts no rollout (it still scales).</summary>
    public bool Paused { get; init; }

    /// <summary><c>spec.minReadySeconds</c>: how long a pod must have been Ready before it counts as available (0 by default).</summary>
    public int MinReadySeconds { get; init; }

    /// <summary>
    /// A Deployment's <c>spec.progressDeadlineSeconds</c>: how long a rollout may make no progress before its controller
    /// reports <c>ProgressDeadlineExceeded</c> (600 by default).
    /// </summary>
    public int ProgressDeadlineSeconds { get; init; } = 600;

    /// <summary>A StatefulSet's or DaemonSet's <c>spec.updateStrategy</c>.</summary>
    public SetUpdateStrategy UpdateStrategy { get; init; } = SetUpdateStrategy.Default;

    /// <summary>
    /// A StatefulSet's <c>spec.podManagementPolicy</c>: <c>OrderedReady</c> (the default) makes and removes its pods one
    /// at a time in ordinal order, <c>Parallel</c> all at once.
    /// </summary>
    public string PodManagementPolicy { get; init; } = OrderedReady;

    public const string OrderedReady = "OrderedReady";

    public const string Parallel = "Parallel";

    /// <summary>A StatefulSet's governing headless Service.</summary>
    public string? ServiceName { get; init; }

    public ObjectRef Ref => new(Kind.ToString(), Meta.Namespace, Meta.Name);
}
