namespace Maille.Dataplane.Ebpf;

/// <summary>The maps of <c>bpf/pod_policy.bpf.c</c> that the node agent writes from plans (<c>flows</c>, an LRU map, fills itself).</summary>
public enum PodPolicyMap
{
    /// <summary><c>counters</c>: slot → packets and bytes (written only to zero a slot newly given to a rule).</summary>
    Counters,

    /// <summary><c>ports</c>: LPM of (segment, protocol, destination port) → the rule with ports that decides.</summary>
    Ports,

    /// <summary><c>peers</c>: LPM of (chain, peer address) → the interval's ports segment and its rule without ports.</summary>
    Peers,

    /// <summary><c>chains</c>: chain id → kind, next tier, the slot counting its end's denials.</summary>
    Chains,

    /// <summary><c>nodes</c>: the node's own addresses (never judged).</summary>
    Nodes,

    /// <summary><c>pods</c>: pod address → the chain each direction enters first.</summary>
    Pods,
}
