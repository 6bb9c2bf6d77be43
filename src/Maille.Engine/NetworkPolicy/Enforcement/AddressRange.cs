using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// An inclusive range of IPv4 addresses, one element of an interval set. Written as nftables writes it: one address,
/// a CIDR when the range is exactly one network, otherwise <c>first-last</c>.
/// </summary>
internal readonly record struct AddressRange(uint First, uint Last)
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
        var last = hostBits == 32 ? uint.MaxValue : first | ((1u << hostBits) - 1);
        return new AddressRange(first, last);
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && IpMath.ToUInt32(address) is var value && First <= value && value <= Last;

    public override string ToString()
    {
        if (First == Last)
        {
            return IpMath.FromUInt32(First).ToString();
        }

        // Exactly one network: the size is a power of two and the first address is aligned to it.
        var size = (ulong)Last - First + 1;
        if (BitOperations.IsPow2(size) && (First & (uint)(size - 1)) == 0)
        {
            return $"{IpMath.FromUInt32(First)}/{32 - BitOperations.Log2(size)}";
        }

        return $"{IpMath.FromUInt32(First)}-{IpMath.FromUInt32(Last)}";
    }
}
