namespace Maille.Dataplane.Ebpf;

/// <summary>Which traffic of a Service port an entry of the maps translates.</summary>
public enum SocketLbTraffic
{
    /// <summary>Connections to the ClusterIP at the socket (with the external addresses when they use the same endpoints).</summary>
    ClusterIP,

    /// <summary>Connections to the external addresses at the socket of a process inside the cluster (this node's).</summary>
    ExternalInside,

    /// <summary>Connections to the external addresses from outside the node, at tc on its interface (<c>nodeports</c>).</summary>
    ExternalOutside,
}
