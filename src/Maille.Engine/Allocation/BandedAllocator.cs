namespace Maille.Engine.Allocation;

/// <summary>
/// Kubernetes' static/dynamic band split (KEP-3070 for ClusterIPs, KEP-3668 for NodePorts) over a range of
/// <see cref="Size"/> values: explicit requests are accepted anywhere; dynamic allocation takes the upper band first
/// and falls back to the lower band only when the upper one is full. Where Kubernetes picks at random, Maille starts
/// at a hash of the object's name and probes upward, so a Service keeps its value when others are added.
/// </summary>
internal sealed class BandedAllocator
{
    private readonly HashSet<ulong> _used = [];

    public BandedAllocator(ulong first, ulong size, ulong staticBandSize)
    {
        First = first;
        Size = size;
        StaticBandSize = Math.Min(staticBandSize, size);
    }

    public ulong First { get; }

    public ulong Size { get; }

    public ulong StaticBandSize { get; }

    /// <summary>KEP-3070: <c>min(max(16, size/16), 256)</c>.</summary>
    public static ulong ClusterIPStaticBand(ulong size) => Math.Min(Math.Max(16, size / 16), 256);

    /// <summary>KEP-3668: <c>min(max(16, size/32), 128)</c>.</summary>
    public static ulong NodePortStaticBand(ulong size) => Math.Min(Math.Max(16, size / 32), 128);

    public bool Contains(ulong value) => value >= First && value < First + Size;

    public bool IsUsed(ulong value) => _used.Contains(value);

    /// <summary>Reserves an explicit value; false when it is outside the range or already taken.</summary>
    public bool TryReserve(ulong value) => Contains(value) && _used.Add(value);

    public ulong? Allocate(string seed)
    {
        var upper = Size - StaticBandSize;
        var start = StableHash.Fnv32(seed);
        return Probe(First + StaticBandSize, upper, start) ?? Probe(First, StaticBandSize, start);
    }

    private ulong? Probe(ulong from, ulong count, uint start)
    {
        for (ulong i = 0; i < count; i++)
        {
            var candidate = from + ((start + i) % count);
            if (_used.Add(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
