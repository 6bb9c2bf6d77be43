namespace Maille.Dataplane.Nftables;

/// <summary>Where a traced packet enters the node's stack, which decides the hook it meets first.</summary>
public enum NftIngress
{
    /// <summary>From one of the node's pods (through its veth): prerouting.</summary>
    Pod,

    /// <summary>Sent by the node itself (a host process, a hostNetwork pod): output, and its source is a local address.</summary>
    NodeLocal,

    /// <summary>From the node network (another node, the external client): prerouting.</summary>
    Underlay,
}
