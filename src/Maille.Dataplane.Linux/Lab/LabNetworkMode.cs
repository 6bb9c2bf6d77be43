namespace Maille.Dataplane.Linux.Lab;

/// <summary>How pod traffic crosses between nodes.</summary>
public enum LabNetworkMode
{
    /// <summary>Host-gateway routing: each node routes every other node's pod CIDR via that node's IP.</summary>
    Routed,

    /// <summary>
    /// An overlay, as flannel's vxlan backend: each node has <c>vxlan0</c> holding its pod CIDR's first address
    /// (/32) and routes every other node's pod CIDR via that node's VXLAN address, onlink; flooding entries
    /// (<c>00:00:00:00:00:00 dst nodeIP</c>) carry ARP to every node, and the VXLAN device learns the rest.
    /// </summary>
    Vxlan,
}
