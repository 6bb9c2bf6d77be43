using Maille.Model;

namespace Maille.Engine.LoadBalancing;

/// <summary>
/// The addresses one pool can give, in the pool's order: its IPv4 ranges one after the other, without the addresses
/// ending in .0 or .255 when the pool avoids buggy IPs. Positions index that sequence; nothing is materialised, so a
/// /8 pool costs no more than a /30.
/// </summary>
internal sealed class PoolAddresses
{
    private readonly AddressRange[] _ranges;

    public PoolAddresses(IPAddressPool pool)
    {
        Pool = pool;
        _ranges = [.. pool.Ranges];
        Span = _ranges.Aggregate(0ul, (sum, r) => sum + r.Count);
        Usable = _ranges.Aggregate(0ul, (sum, r) => sum + r.Count - (pool.AvoidBuggyIPs ? BuggyIn(r) : 0));
    }

    public IPAddressPool Pool { get; }

    public string Name => Pool.Name;

    /// <summary>Positions in the sequence, buggy addresses included (they are skipped when probing).</summary>
    public ulong Span { get; }

    /// <summary>How many addresses the pool can give.</summary>
    public ulong Usable { get; }

    /// <summary>Whether the pool can give <paramref name="address"/>: inside a range, and not a buggy one it avoids.</summary>
    public bool Owns(uint address) => _ranges.Any(r => r.Contains(address)) && !(Pool.AvoidBuggyIPs && IsBuggy(address));

    public bool ContainsIgnoringBuggy(uint address) => _ranges.Any(r => r.Contains(address));

    /// <summary>Addresses from position <paramref name="start"/> upward, wrapping once; buggy ones skipped when avoided.</summary>
    public IEnumerable<uint> From(ulong start)
    {
        if (Span == 0)
        {
            yield break;
        }

        for (ulong i = 0; i < Span; i++)
        {
            var address = At((start + i) % Span);
            if (!(Pool.AvoidBuggyIPs && IsBuggy(address)))
            {
                yield return address;
            }
        }
    }

    /// <summary>The address at <paramref name="position"/> of the sequence.</summary>
    public uint At(ulong position)
    {
        foreach (var range in _ranges)
        {
            if (position < range.Count)
            {
                return (uint)(range.First + position);
            }

            position -= range.Count;
        }

        throw new ArgumentOutOfRangeException(nameof(position));
    }

    /// <summary>MetalLB's avoidBuggyIPs: addresses ending in .0 or .255 confuse the smurf protection of some routers.</summary>
    public static bool IsBuggy(uint address) => (address & 0xFF) is 0 or 0xFF;

    private static ulong BuggyIn(AddressRange range)
    {
        ulong count = 0;
        for (var block = range.First & 0xFFFFFF00; block <= (range.Last & 0xFFFFFF00); block += 0x100)
        {
            count += (range.Contains(block) ? 1ul : 0) + (range.Contains(block | 0xFF) ? 1ul : 0);
            if (block == 0xFFFFFF00)
            {
                break;
            }
        }

        return count;
    }
}
