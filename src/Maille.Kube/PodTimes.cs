namespace Maille.Kube;

/// <summary>
/// When the lab saw a pod happen: <paramref name="Started"/>, when it was first published on its node (bound, its
/// network and ports up, its containers started: one step in the lab), and <paramref name="ReadyChanged"/>, when its
/// readiness last changed (its start, until a probe flips it).
/// </summary>
public sealed record PodTimes(DateTimeOffset Started, DateTimeOffset ReadyChanged);
