namespace Maille.Model;

/// <summary>A pod, declared directly or generated from a workload.</summary>
public sealed record Pod
{
    public required ObjectMeta Meta { get; init; }

    public required PodSpec Spec { get; init; }

    public PodStatus Status { get; init; } = new();

    public OwnerRef? Owner { get; init; }

    public string Name => Meta.Name;

    public string Namespace => Meta.Namespace!;

    public string QualifiedName => Meta.QualifiedName;

    public Labels Labels => Meta.Labels;

    public bool IsTerminating => Meta.DeletionTimestamp is not null;
}
