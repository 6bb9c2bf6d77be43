namespace Maille.Dataplane.Nftables;

/// <summary>The packet fields the service rules read, each with its nftables spelling (<see cref="NftFields.Text(NftField)"/>).</summary>
internal enum NftField
{
    /// <summary><c>ip saddr</c>.</summary>
    SourceAddress,

    /// <summary><c>ip daddr</c>.</summary>
    DestinationAddress,

    /// <summary><c>meta l4proto</c>: tcp, udp, sctp.</summary>
    Protocol,

    /// <summary><c>th dport</c>: the transport destination port, whatever the protocol.</summary>
    DestinationPort,

    /// <summary><c>fib saddr type</c>: "local" when the source is one of the node's own addresses.</summary>
    SourceAddressType,

    /// <summary><c>ct status</c>: "dnat" once the connection's destination was translated.</summary>
    ConntrackStatus,

    /// <summary><c>ct state</c>: new, established, related (several as <c>established,related</c>).</summary>
    ConntrackState,
}
