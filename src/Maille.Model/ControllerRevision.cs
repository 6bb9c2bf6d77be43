namespace Maille.Model;

/// <summary>
/// A <c>ControllerRevision</c> (apps/v1): one revision of a StatefulSet's or DaemonSet's pod template, numbered, owned
/// by its set. <see cref="Template"/> is the template its <c>data</c> holds (<c>spec.template</c>), null when it holds
/// none Maille can read.
/// </summary>
public sealed record ControllerRevision
{
    public required ObjectMeta Meta { get; init; }

    /// <summary>The set that controls it, from <c>ownerReferences</c>.</summary>
    public OwnerRef? Owner { get; init; }

    /// <summary>The owner's uid as <c>ownerReferences</c> recorded it; null when not given.</summary>
    public string? OwnerUid { get; init; }

    /// <summary><c>revision</c>: the order of the revisions of one set, the newest highest.</summary>
    public long Revision { get; init; }

    public PodTemplate? Template { get; init; }
}
