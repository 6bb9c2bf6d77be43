using Maille.Model;

namespace Maille.Lab.Agent;

/// <summary>What <c>maille agent</c> runs: its node, its parts, the cluster's configuration, how often it looks for drift.</summary>
public sealed record AgentOptions
{
    public required string Node { get; init; }

    public required IReadOnlySet<string> Parts { get; init; }

    /// <summary>The cluster's CIDRs, node-port range and LoadBalancer pools (what kube-proxy's <c>--cluster-cidr</c> and the ConfigMap give).</summary>
    public ClusterConfig Config { get; init; } = ClusterConfig.Default;

    /// <summary>
    /// The data plane the parts program. <see cref="DataplaneKind.Ebpf"/> (a lab's node only): the Service proxy part is
    /// the socket load balancer on <see cref="Cgroup"/> beside nftables for what it leaves, and the NetworkPolicy part
    /// the tc programs on the node's pods' veths; their maps and links are pinned in <see cref="BpfPins"/>.
    /// </summary>
    public DataplaneKind Dataplane { get; init; } = DataplaneKind.Nftables;

    /// <summary>The lab's cgroup as this process can open it (<see cref="DataplaneKind.Ebpf"/>).</summary>
    public string? Cgroup { get; init; }

    /// <summary>A folder of a bpffs for this node's pins (<see cref="DataplaneKind.Ebpf"/>).</summary>
    public string? BpfPins { get; init; }

    /// <summary>
    /// Why <see cref="Cgroup"/> cannot take the socket programs of the ebpf data plane (it is not a cgroup), or null.
    /// Asked before the agent reads anything; the CLI asks here, as it never reaches the kernel itself.
    /// </summary>
    public string? CgroupProblem()
    {
        if (Dataplane != DataplaneKind.Ebpf || Cgroup is null)
        {
            return null;
        }

        try
        {
            _ = global::Maille.Dataplane.Linux.Ebpf.LabCgroup.At(Cgroup);
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    /// <summary>The NetworkPolicy part cuts established connections a change now denies.</summary>
    public bool FlushDeniedConnections { get; init; }

    /// <summary>
    /// How often the agent reads the namespace's nftables generation when the kernel does not announce commits to it
    /// (it normally does: the agent then reads it at each commit of someone else's, and not at all while idle). A
    /// generation that moved without a commit of the agent's makes it compare the rules of its own tables with what its
    /// last commit left (a commit to another table is not drift); a difference is: every part writes its table again.
    /// Reads 500 ms apart repair a hand edit within a second.
    /// </summary>
    public TimeSpan DriftCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After a change wakes the agent, how long it waits for the rest of the same API change (a pod's readiness comes
    /// as the Pod on one watch and its EndpointSlice on another, a few milliseconds apart) before it syncs once.
    /// </summary>
    public TimeSpan ChangeBatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);
}
