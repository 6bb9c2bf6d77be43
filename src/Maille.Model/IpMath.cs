using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Maille.Model;

/// <summary>IPv4 arithmetic the allocators and validators share (IPv6 networks are only parsed and matched).</summary>
public static class IpMath
{
    public static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork && !address.IsIPv4MappedToIPv6)
        {
            throw new ArgumentException($"{address} is not an IPv4 address: Maille's allocation is IPv4 only", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.MapToIPv4().TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The network of <paramref name="address"/>/<paramref name="prefix"/> with host bits cleared.</summary>
    public static IPNetwork Network(IPAddress address, int prefix)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            return new IPNetwork(FromUInt32(ToUInt32(address) & mask), prefix);
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    public static ulong Size(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
        ? 1ul << (32 - network.PrefixLength)
        : ulong.MaxValue;

    public static IPAddress Offset(IPNetwork network, ulong offset) => FromUInt32(ToUInt32(network.BaseAddress) + (uint)offset);

    public static bool IsSubsetOf(IPNetwork inner, IPNetwork outer) =>
        inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);
}
