namespace Maille.Engine.ServiceProxy;

/// <summary>What happens to a connection for which a traffic policy leaves no endpoint.</summary>
public enum EmptyServiceVerdict
{
    /// <summary>The Service has no usable endpoint anywhere: the client is told at once (TCP reset, ICMP port unreachable).</summary>
    Reject,

    /// <summary>A Local policy and no endpoint on this node while others exist elsewhere: the packet is dropped silently.</summary>
    Drop,
}
