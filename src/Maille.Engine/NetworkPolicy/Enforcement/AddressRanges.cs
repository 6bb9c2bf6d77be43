using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Interval arithmetic on IPv4 <see cref="AddressRange"/>s for peer sets: an ipBlock with <c>except</c> becomes the
/// ranges of its CIDR minus its holes, and a peer list becomes one sorted, disjoint, non-adjacent list (nftables
/// refuses overlapping elements in an interval set, and a canonical list makes equal sets compare equal).
/// </summary>
public static class AddressRanges
{
    public static AddressRange Single(IPAddress address) => new(IpMath.ToUInt32(address), IpMath.ToUInt32(address));

    /// <summary>The range of an IPv4 network; null for an IPv6 one (IPv4 packets never fall in it).</summary>
    public static AddressRange? Of(IPNetwork network)
    {
        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        var first = IpMath.ToUInt32(network.BaseAddress);
        var hostBits = 32 - network.PrefixLength;
        return new AddressRange(first, hostBits == 32 ? uint.MaxValue : first | ((1u << hostBits) - 1));
    }

    /// <summary>As nftables writes an interval element: one address alone, a CIDR when the range is one network, else <c>first-last</c>.</summary>
    public static string Text(AddressRange range) => range.First == range.Last ? IpMath.FromUInt32(range.First).ToString() : range.ToString();

    /// <summary>The ranges an ipBlock matches: its CIDR minus each except entry. Empty for an IPv6 or invalid block.</summary>
    public static IEnumerable<AddressRange> Of(IpBlock block)
    {
        if (block.Network is not { } network || Of(network) is not { } whole)
        {
            return [];
        }

        IEnumerable<AddressRange> remaining = [whole];
        foreach (var hole in block.ExceptNetworks.Select(Of).OfType<AddressRange>())
        {
            remaining = [.. remaining.SelectMany(r => Subtract(r, hole))];
        }

        return remaining;
    }

    /// <summary>Sorted by first address, overlapping and adjacent ranges merged.</summary>
    public static ImmutableArray<AddressRange> Normalize(IEnumerable<AddressRange> ranges)
    {
        var merged = ImmutableArray.CreateBuilder<AddressRange>();
        foreach (var range in ranges.OrderBy(r => r.First).ThenBy(r => r.Last))
        {
            if (merged.Count > 0 && (ulong)merged[^1].Last + 1 >= range.First)
            {
                merged[^1] = new AddressRange(merged[^1].First, Math.Max(merged[^1].Last, range.Last));
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged.ToImmutable();
    }

    private static IEnumerable<AddressRange> Subtract(AddressRange range, AddressRange hole)
    {
        if (hole.Last < range.First || hole.First > range.Last)
        {
            yield return range;
            yield break;
        }

        if (hole.First > range.First)
        {
            yield return new AddressRange(range.First, hole.First - 1);
        }

        if (hole.Last < range.Last)
        {
            yield return new AddressRange(hole.Last + 1, range.Last);
        }
    }
}
