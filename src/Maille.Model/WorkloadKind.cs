namespace Maille.Model;

/// <summary>The controllers that expand into pods.</summary>
internal enum WorkloadKind
{
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
}
