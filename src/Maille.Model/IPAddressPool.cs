namespace Maille.Model;

/// <summary>
/// MetalLB's <c>IPAddressPool</c> (<c>metallb.io/v1beta1</c>): addresses LoadBalancer Services may be given.
/// <see cref="Addresses"/> keeps the text as written; <see cref="Ranges"/> are its IPv4 entries that parse (IPv6 ones
/// are accepted with a warning and not used).
/// </summary>
public sealed record IPAddressPool
{
    public const string Group = "metallb.io";

    public const string KindName = "IPAddressPool";

    public required ObjectMeta Meta { get; init; }

    public EquatableArray<string> Addresses { get; init; } = EquatableArray<string>.Empty;

    /// <summary>When false, the pool gives addresses only to Services that ask for it (annotation or requested IP).</summary>
    public bool AutoAssign { get; init; } = true;

    /// <summary>Skip addresses ending in .0 and .255, which some consumer routers drop.</summary>
    public bool AvoidBuggyIPs { get; init; }

    /// <summary>Null when the pool serves every Service.</summary>
    public ServiceAllocation? ServiceAllocation { get; init; }

    /// <summary>True for a pool made from the cluster configuration (no IPAddressPool was given).</summary>
    public bool FromClusterConfig { get; init; }

    public string Name => Meta.Name;

    public IEnumerable<AddressRange> Ranges => Addresses.Select(a => AddressRange.TryParse(a, out _)).OfType<AddressRange>();
}
