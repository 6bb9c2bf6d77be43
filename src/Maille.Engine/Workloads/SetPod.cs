namespace Maille.Engine.Workloads;

/// <summary>
/// One pod of a StatefulSet or DaemonSet as its controller tracks it: the revision (ControllerRevision name) it was
/// made from, the node a DaemonSet's pod runs on, and a DaemonSet pod's generation on that node (0 for the first pod
/// there; each replacement takes the next, so a new name), and when a StatefulSet's pod was made again (it keeps its
/// name, so its creation time, and with it its uid, tell the new pod from the old).
/// </summary>
public sealed record SetPod(string Revision, string? Node = null, int Generation = 0, DateTimeOffset? Created = null);
