namespace Maille.Dataplane.Ebpf;

/// <summary>The maps of <c>bpf/socket_lb.bpf.c</c> that the node agent writes from plans (the LRU ones fill themselves).</summary>
public enum SocketLbMap
{
    /// <summary><c>netns</c>: the node's network namespaces, by cookie.</summary>
    Namespaces,

    /// <summary><c>services</c>: ClusterIP . port . protocol → Service port id, endpoint count, flags.</summary>
    Services,

    /// <summary><c>backends</c>: (Service port id, slot) → endpoint.</summary>
    Backends,

    /// <summary><c>members</c>: (Service port id, endpoint) → slot, so an affinity entry is kept only while its endpoint is.</summary>
    Members,

    /// <summary>
    /// <c>nodeports</c>: NodeIP, LoadBalancer IP or externalIP . port . protocol → the Service port's external traffic
    /// from outside the node (id, count, flags, masquerade address), read by the tc program on the node's interface.
    /// </summary>
    External,
}
