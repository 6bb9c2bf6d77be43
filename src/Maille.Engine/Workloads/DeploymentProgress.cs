using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// When a Deployment's rollout last made progress, as its controller judges it for <c>progressDeadlineSeconds</c>
/// (<c>util.DeploymentProgressing</c>): more pods updated, ready or available, or fewer pods in all (old ones gone); a
/// new template, or a pause, starts the clock again. Pure: whoever keeps it passes the time in.
/// </summary>
public sealed record DeploymentProgress(string NewReplicaSet, WorkloadStatus Counts, DateTimeOffset Since)
{
    /// <summary>
    /// The progress after observing <paramref name="status"/> at <paramref name="now"/>: <paramref name="previous"/> itself
    /// when nothing moved forward, else progress from now (the counts are always the latest).
    /// </summary>
    public static DeploymentProgress Observe(DeploymentProgress? previous, Workload deployment, WorkloadStatus status, DateTimeOffset now)
    {
        var newName = DeploymentRollout.NewReplicaSetName(deployment);
        if (previous is null || previous.NewReplicaSet != newName || deployment.Paused || Progressed(previous.Counts, status))
        {
            return new DeploymentProgress(newName, status, now);
        }

        return previous with { Counts = status };
    }

    /// <summary>
    /// When the rollout exceeds its deadline if nothing moves: null when it cannot (complete, paused), so nobody needs
    /// to look again.
    /// </summary>
    public DateTimeOffset? Deadline(Workload deployment) =>
        deployment.Paused || DeploymentRollout.IsComplete(deployment, Counts) ? null : Since.AddSeconds(deployment.ProgressDeadlineSeconds);

    /// <summary>Whether the rollout has made no progress for longer than <c>progressDeadlineSeconds</c> at <paramref name="now"/>.</summary>
    public bool IsExceeded(Workload deployment, DateTimeOffset now) => Deadline(deployment) is { } deadline && now > deadline;

    private static bool Progressed(WorkloadStatus before, WorkloadStatus after) =>
        after.Updated > before.Updated || after.Current < before.Current || after.Ready > before.Ready || after.Available > before.Available;
}
