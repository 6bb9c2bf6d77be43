namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a node's NetworkPolicy at tc (the ebpf data plane) holds: its two programs, the pods' node-side veths they are
/// attached to, and the element count of each of its maps, as of its last sync (<c>flows</c>, an LRU map, fills
/// between syncs).
/// </summary>
public sealed record PodPolicyDetails : NodePartDetails
{
    /// <summary>The NetworkPolicies of the state the maps were last written from (every namespace's, not only this node's pods').</summary>
    public int PolicyCount { get; init; }

    /// <summary>The programs, each on every pod's veth: <c>maille_egress</c> on its ingress, <c>maille_ingress</c> on its egress.</summary>
    public IReadOnlyList<string> Programs { get; init; } = [];

    /// <summary>The node-side veths the programs are attached to.</summary>
    public int Interfaces { get; init; }

    /// <summary>Elements of each map: pods, nodes, chains, peers, ports, counters (slots in use), flows.</summary>
    public IReadOnlyDictionary<string, int> Maps { get; init; } = new Dictionary<string, int>();

    public int IngressIsolatedPods { get; init; }

    public int EgressIsolatedPods { get; init; }

    /// <summary>Flows forgotten because a new plan denied them (<c>--flush-denied-connections</c>).</summary>
    public long FlushedFlows { get; init; }
}
