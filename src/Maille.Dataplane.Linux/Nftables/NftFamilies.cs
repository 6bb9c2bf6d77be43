namespace Maille.Dataplane.Linux.Nftables;

/// <summary>The nftables families Maille's tables use, as netlink numbers them (<c>nfgen_family</c>: NFPROTO_*).</summary>
internal static class NftFamilies
{
    /// <summary>The number of <c>ip</c>, <c>ip6</c> or <c>inet</c>.</summary>
    /// <exception cref="ArgumentException">Another family.</exception>
    public static byte Number(string family) => family switch
    {
        "inet" => 1,
        "ip" => 2,
        "ip6" => 10,
        _ => throw new ArgumentException($"nftables family '{family}' is not supported here", nameof(family)),
    };

    /// <summary>The name <c>nft</c> gives family <paramref name="number"/> (every family, for what the kernel reports).</summary>
    public static string Name(byte number) => number switch
    {
        1 => "inet",
        2 => "ip",
        3 => "arp",
        5 => "netdev",
        7 => "bridge",
        10 => "ip6",
        _ => $"family {number}",
    };
}
