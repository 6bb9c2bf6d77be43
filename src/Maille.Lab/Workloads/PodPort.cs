using Maille.Model;

namespace Maille.Lab.Workloads;

/// <summary>
/// One declared container port of one pod: the key under which its socket is served. Two pods in different
/// network namespaces may listen on the same address and port, so the key is the pod, never the address.
/// </summary>
public readonly record struct PodPort(PodId Pod, Protocol Protocol, int Port)
{
    public override string ToString() => $"{Pod}:{Port}/{Protocol}";
}
