namespace Maille.Engine.Workloads;

/// <summary>
/// One action of a Deployment's controller (<see cref="DeploymentRollout.Step"/>): every ReplicaSet the Deployment
/// should own afterwards (a new one has no pods yet; one left out is deleted), and what was done, for the log.
/// </summary>
public sealed record RolloutStep(IReadOnlyList<ReplicaSetView> ReplicaSets, string Action);
