namespace Maille.Kube;

/// <summary>
/// What a lab node reports of its machine in <c>status.capacity</c> and <c>status.nodeInfo</c>. A lab node is a network
/// namespace on the one machine, so every node reports the machine's processors, memory, kernel and OS;
/// <see cref="KubeletVersion"/> is the Kubernetes version the lab follows with Maille's as build metadata, and the
/// container runtime is Maille's (pods are namespaces served by the lab's own processes, no images).
/// </summary>
public sealed record NodeSystem
{
    public required int Cpus { get; init; }

    public required long MemoryKibibytes { get; init; }

    /// <summary>The kubelet's default <c>maxPods</c>.</summary>
    public int Pods { get; init; } = 110;

    public required string KernelVersion { get; init; }

    public required string OsImage { get; init; }

    /// <summary>Go's name for it: <c>amd64</c>, <c>arm64</c>.</summary>
    public required string Architecture { get; init; }

    public required string KubeletVersion { get; init; }

    public required string ContainerRuntimeVersion { get; init; }

    public required string MachineId { get; init; }

    public required string BootId { get; init; }
}
