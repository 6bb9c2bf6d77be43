namespace Maille.Dataplane.Nftables;

/// <summary>What the Service table does with a connection's first packet.</summary>
public enum NftTraceVerdict
{
    /// <summary>No Service rule applies: the packet goes on untouched.</summary>
    NotTranslated,

    /// <summary>Destination NAT to one of <see cref="NftTraceResult.Targets"/>.</summary>
    Translated,

    /// <summary>Dropped silently (Local policy without a local endpoint, unallocated Service IP, source range).</summary>
    Dropped,

    /// <summary>Refused: TCP reset or ICMP port unreachable (no endpoints, undefined port).</summary>
    Rejected,
}
