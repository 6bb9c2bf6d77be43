using System.Globalization;
using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// A Deployment's Progressing condition as a lab's Deployment controller records it on the Deployment
/// (<see cref="Annotation"/>, <c>REASON@TIME</c>, the time in whole seconds): what only the controller knows, that a
/// paused rollout was resumed (<see cref="Resumed"/>), and when the rollout last progressed (the condition's
/// <c>lastUpdateTime</c>, which <c>progressDeadlineSeconds</c> counts from). The real controller keeps both in the
/// Deployment's status; a lab serves status it computes, so the controller keeps them on the object it stores, and
/// a restarted daemon reads them back from there rather than from memory.
/// </summary>
public sealed record DeploymentProgressRecord(string Reason, DateTimeOffset Since)
{
    public const string Annotation = "maille.dev/progressing";

    public const string Paused = "DeploymentPaused";

    public const string Resumed = "DeploymentResumed";

    private const string NewReplicaSetAvailable = "NewReplicaSetAvailable";

    /// <summary>The record's text, as the annotation holds it.</summary>
    public string Text => $"{Reason}@{Since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";

    /// <summary>What <paramref name="deployment"/> records, or null when it records nothing (or nothing readable).</summary>
    public static DeploymentProgressRecord? Of(Workload deployment) =>
        deployment.Meta.Annotations.Get(Annotation) is { } text && text.Split('@') is [{ Length: > 0 } reason, var time]
            && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? new DeploymentProgressRecord(reason, since)
            : null;

    /// <summary>
    /// The record after the controller observed the rollout (<paramref name="observed"/>, from a progress that started at
    /// <paramref name="recorded"/>'s time): while paused, paused since it was paused; the first look after a resume,
    /// resumed now (the deadline counts from the resume, as the real controller's <c>lastUpdateTime</c>); resumed
    /// until the rollout progresses again; else the reason the served condition gives, since the last progress.
    /// </summary>
    public static DeploymentProgressRecord Next(DeploymentProgressRecord? recorded, Workload deployment, DeploymentProgress observed, DateTimeOffset now)
    {
        if (deployment.Paused)
        {
            return recorded is { Reason: Paused } ? recorded : new DeploymentProgressRecord(Paused, now);
        }

        // A rollout with nothing left to do is complete, also in the look that finds it resumed (the real controller
        // marks it resumed, then complete, in one sync).
        var complete = DeploymentRollout.IsComplete(deployment, observed.Counts);
        return recorded switch
        {
            { Reason: Paused } => new DeploymentProgressRecord(complete ? NewReplicaSetAvailable : Resumed, now),
            { Reason: Resumed } when observed.Since <= recorded.Since && !complete => recorded,
            _ => new DeploymentProgressRecord(complete ? NewReplicaSetAvailable : "ReplicaSetUpdated", observed.Since),
        };
    }
}
