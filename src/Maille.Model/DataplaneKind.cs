namespace Maille.Model;

/// <summary>
/// How a lab's nodes carry out the Service plans (<c>maille up --dataplane</c>, ClusterConfig <c>dataplane</c>):
/// nftables tables alone, or eBPF programs (ClusterIP translated at the socket) beside them.
/// </summary>
public enum DataplaneKind
{
    /// <summary>Every Service is translated per packet by nftables (kube-proxy's nftables mode). The default.</summary>
    Nftables,

    /// <summary>ClusterIP traffic from pods is translated at the socket by eBPF programs (docs/ebpf-dataplane.md).</summary>
    Ebpf,
}
