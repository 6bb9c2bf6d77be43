using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>What a change to a running lab did: per-object outcomes, objects not found, and errors when it was refused.</summary>
public sealed record LabChangeResult(IReadOnlyList<ObjectOutcome> Outcomes, IReadOnlyList<ObjectKey> NotFound, IReadOnlyList<string> Errors)
{
    /// <summary>For a dry run that planned: the cluster the change would make (nothing of it was kept or programmed).</summary>
    public Engine.ClusterState? DryRun { get; init; }

    public bool Succeeded => Errors.Count == 0;

    public static LabChangeResult Refused(string error) => new([], [], [error]);
}
