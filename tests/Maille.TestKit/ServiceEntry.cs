namespace Maille.TestKit;

/// <summary>Where a connection's first packet meets the entry node's Service rules.</summary>
internal enum ServiceEntry
{
    /// <summary>From a pod's veth.</summary>
    Pod,

    /// <summary>From the node itself (a hostNetwork pod on the entry node).</summary>
    Node,

    /// <summary>From the node network: outside, or another node with its address kept.</summary>
    Underlay,
}
