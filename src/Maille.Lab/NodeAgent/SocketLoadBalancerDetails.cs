namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a node's socket load balancer (the ebpf data plane) holds: its programs attached to the lab's cgroup and the
/// node's eth0, and the element count of each of its maps, as of its last sync (the LRU maps, affinity and reverse,
/// fill between syncs).
/// </summary>
public sealed record SocketLoadBalancerDetails : NodePartDetails
{
    /// <summary>The programs attached to the lab's cgroup (connect4, sendmsg4, recvmsg4, getpeername4), then maille_nodeport on the node's eth0.</summary>
    public IReadOnlyList<string> Programs { get; init; } = [];

    /// <summary>The cgroup they are attached to.</summary>
    public string Cgroup { get; init; } = "";

    /// <summary>Elements of each map: netns, services, backends, members, affinity, reverse.</summary>
    public IReadOnlyDictionary<string, int> Maps { get; init; } = new Dictionary<string, int>();

    public int ServicePortCount { get; init; }

    public int BackendCount { get; init; }

    /// <summary>The network namespaces whose sockets the programs act on: the node's and its pods'.</summary>
    public int NamespaceCount { get; init; }
}
