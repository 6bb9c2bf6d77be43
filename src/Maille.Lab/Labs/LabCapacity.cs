using System.Globalization;
using Maille.Engine;

namespace Maille.Lab.Labs;

/// <summary>
/// What a lab needs from its address plan and from the machine, checked before anything is built, so that a lab too
/// big for either is refused with the limit named and how to raise it instead of failing half built. Pure: the
/// machine's limits are given (<see cref="MachineLimits"/>).
/// </summary>
public static class LabCapacity
{
    /// <summary>Descriptors the daemon keeps for itself and for connections in flight, beyond one per served port.</summary>
    public const int DescriptorHeadroom = 1024;

    /// <summary>Descriptors a pod program costs the daemon (its standard input, output and error pipes, its process handle).</summary>
    public const int DescriptorsPerProgram = 4;

    /// <summary>Memory a pod costs, daemon and kernel together: 10,000 pods took 3.9 GB of the machine, 0.75 GB of it the daemon (docs/benchmarks.md).</summary>
    public const long BytesPerPod = 400 * 1024;

    /// <summary>Memory the daemon needs whatever the lab's size.</summary>
    public const long BytesBase = 256L * 1024 * 1024;

    /// <summary>Every reason <paramref name="cluster"/> cannot run as a lab within <paramref name="machine"/>'s limits; empty when it can.</summary>
    public static IReadOnlyList<string> Check(ClusterState cluster, MachineLimits machine)
    {
        var problems = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            var pods = cluster.Pods.Count(p => p.Spec.NodeName == node.Name && !p.Spec.HostNetwork);
            var homeless = cluster.Pods.Count(p => p.Spec.NodeName == node.Name && !p.Spec.HostNetwork && p.Status.PodIP is null);
            if (homeless > 0 && node.PodCidr is { } cidr)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"node {node.Name} has {pods} pods but its pod CIDR {cidr} holds {Usable(cidr.PrefixLength)}: set podCIDRPrefix: {PrefixFor(pods)} (or lower) in the ClusterConfig (--config), or spread the pods over more nodes (nodeCount)"));
            }
        }

        var served = cluster.Pods.Where(p => p.Status.PodIP is not null && !p.Spec.HostNetwork).ToList();
        var ports = served.Sum(p => p.Spec.AllPorts.Count());
        var programs = served.Sum(p => p.Spec.Containers.Count(c => c.Command.Count > 0));
        var descriptors = (long)ports + (programs * DescriptorsPerProgram) + DescriptorHeadroom;
        if (descriptors > machine.DescriptorLimit)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the lab needs about {descriptors} open descriptors (one per served port: {ports}; {DescriptorsPerProgram} per pod program: {programs}; {DescriptorHeadroom} for connections), but a process may open {machine.DescriptorLimit} here (ulimit -Hn): raise the hard limit (LimitNOFILE, or ulimit -Hn with CAP_SYS_RESOURCE), or serve fewer ports"));
        }

        var memory = BytesBase + (served.Count * BytesPerPod);
        if (machine.AvailableMemory is { } available && memory > available)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the lab needs about {memory / (1024 * 1024)} MiB of memory ({BytesPerPod / 1024} KiB per pod, daemon and kernel), but {available / (1024 * 1024)} MiB are available (MemAvailable in /proc/meminfo): free memory, or run fewer pods"));
        }

        return problems;
    }

    /// <summary>Pod addresses in a pod CIDR of <paramref name="prefix"/> bits: the allocator skips the network address, the first address (the node's) and the broadcast address.</summary>
    public static long Usable(int prefix) => (1L << (32 - prefix)) - 3;

    /// <summary>The longest prefix whose pod CIDR holds <paramref name="pods"/> pods.</summary>
    public static int PrefixFor(int pods)
    {
        var prefix = 30;
        while (prefix > 8 && Usable(prefix) < pods)
        {
            prefix--;
        }

        return prefix;
    }
}
