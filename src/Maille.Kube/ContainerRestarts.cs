namespace Maille.Kube;

/// <summary>
/// How often a pod's container was started again, and how it last ended: what the kubelet reports as
/// <c>restartCount</c> and <c>lastState.terminated</c>, and <c>kubectl get pods</c> shows as <c>RESTARTS 1 (5s ago)</c>.
/// </summary>
/// <param name="StartedAt">When the running container (the latest start) started.</param>
public sealed record ContainerRestarts(int Count, int ExitCode, string Reason, DateTimeOffset FinishedAt, DateTimeOffset StartedAt);
