namespace Maille.Engine.Workloads;

/// <summary>
/// One action of a StatefulSet's or DaemonSet's controller: the revision of every pod afterwards (one left out is
/// deleted, one whose revision or generation changed is replaced), and what was done, for the log.
/// </summary>
public sealed record RevisionStep(IReadOnlyList<SetPod> Pods, string Action);
