using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Maille.Model;

/// <summary>
/// An inclusive range of IPv4 addresses, as a LoadBalancer pool lists them: a CIDR (<c>198.18.0.192/27</c>, every
/// address of it, network and broadcast included, as MetalLB counts them) or <c>FIRST-LAST</c>
/// (<c>198.18.0.200-198.18.0.250</c>, spaces around the dash allowed).
/// </summary>
public readonly record struct AddressRange(uint First, uint Last)
{
    public ulong Count => (ulong)Last - First + 1;

    public bool Contains(uint address) => address >= First && address <= Last;

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && Contains(IpMath.ToUInt32(address));

    public bool Overlaps(AddressRange other) => First <= other.Last && other.First <= Last;

    /// <summary>Whether <paramref name="text"/> is written in IPv6 (valid or not): such ranges are accepted but not used.</summary>
    public static bool LooksIPv6(string text) => text.Contains(':', StringComparison.Ordinal);

    /// <summary>Parses an IPv4 CIDR or range; null with the reason when it is neither.</summary>
    public static AddressRange? TryParse(string text, out string? problem)
    {
        problem = null;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var first = Ipv4(text[..dash].Trim());
            var last = Ipv4(text[(dash + 1)..].Trim());
            if (first is null || last is null)
            {
                problem = "must be a CIDR (e.g. 198.18.0.192/27) or a range FIRST-LAST of IPv4 addresses (e.g. 198.18.0.200-198.18.0.250)";
                return null;
            }

            if (first > last)
            {
                problem = "the first address of the range is after the last";
                return null;
            }

            return new AddressRange(first.Value, last.Value);
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? null : Ipv4(text[..slash]);
        if (address is null
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > 32)
        {
            problem = "must be a CIDR (e.g. 198.18.0.192/27) or a range FIRST-LAST of IPv4 addresses (e.g. 198.18.0.200-198.18.0.250)";
            return null;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new AddressRange(address.Value & mask, (address.Value & mask) | ~mask);
    }

    /// <summary>Text as the input writes it: a CIDR when the range is one, else <c>FIRST-LAST</c>.</summary>
    public override string ToString()
    {
        var size = Count;
        if ((size & (size - 1)) == 0 && (First & (uint)(size - 1)) == 0)
        {
            return $"{IpMath.FromUInt32(First)}/{32 - BitLength(size)}";
        }

        return $"{IpMath.FromUInt32(First)}-{IpMath.FromUInt32(Last)}";
    }

    private static int BitLength(ulong powerOfTwo) => System.Numerics.BitOperations.Log2(powerOfTwo);

    /// <summary>Four dotted decimal parts, as Go's net.ParseIP reads IPv4 (so "10.1" is not an address).</summary>
    private static uint? Ipv4(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 4 || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        return IpMath.ToUInt32(address);
    }
}
