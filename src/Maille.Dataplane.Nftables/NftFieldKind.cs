namespace Maille.Dataplane.Nftables;

/// <summary>The data types a set key or map value can be made of, as the kernel stores them (each in 32-bit registers).</summary>
public enum NftFieldKind
{
    /// <summary><c>ipv4_addr</c>, <c>ip saddr</c>, <c>ip daddr</c>: 4 bytes in network order.</summary>
    Ipv4Address,

    /// <summary><c>inet_proto</c>, <c>meta l4proto</c>: 1 byte, padded to 4.</summary>
    Protocol,

    /// <summary><c>inet_service</c>, <c>th dport</c>: 2 bytes in network order, padded to 4.</summary>
    Service,

    /// <summary><c>numgen random mod N</c>: a 32-bit integer in host order.</summary>
    HostInteger,
}
