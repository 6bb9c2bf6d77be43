namespace Maille.Model;

/// <summary>The controllers that expand into pods.</summary>
public enum WorkloadKind
{
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
}
