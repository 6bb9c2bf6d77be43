using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The bytes of <c>bpf/socket_lb.h</c>'s keys and values. Addresses and ports are in network byte order (as the hook's
/// context holds them); ids, slots and counts in the machine's order, as the C program reads them.
/// </summary>
public static class SocketLbLayout
{
    public const int ServiceKeySize = 8;
    public const int ServiceValueSize = 12;
    public const int BackendKeySize = 8;
    public const int BackendValueSize = 8;
    public const int MemberKeySize = 12;
    public const int MemberValueSize = 4;
    public const int NamespaceKeySize = 8;
    public const int NamespaceValueSize = 4;
    public const int ExternalValueSize = 16;

    /// <summary><c>MAILLE_SERVICE_REJECT</c>: no endpoint anywhere, connect() and sendmsg() fail with ECONNREFUSED.</summary>
    public const byte RejectFlag = 1;

    /// <summary><c>MAILLE_SERVICE_AFFINITY</c>: sessionAffinity ClientIP.</summary>
    public const byte AffinityFlag = 2;

    public static byte[] ServiceKey(IPAddress address, int port, Protocol protocol) =>
        BitConverter.GetBytes(ServiceKeyBits(address, port, protocol));

    /// <summary>
    /// A <c>services</c> (or <c>nodeports</c>) key's 8 bytes as one number in the machine's order: what the writes
    /// compare and pack without an array per key.
    /// </summary>
    public static ulong ServiceKeyBits(IPAddress address, int port, Protocol protocol)
    {
        Span<byte> key = stackalloc byte[ServiceKeySize];
        key.Clear();
        Address(key[..4], address);
        BinaryPrimitives.WriteUInt16BigEndian(key.Slice(4, 2), checked((ushort)port));
        key[6] = (byte)(protocol == Protocol.TCP ? ProtocolType.Tcp : ProtocolType.Udp);
        return BitConverter.ToUInt64(key);
    }

    public static byte[] ServiceValue(uint id, int count, byte flags, int affinitySeconds)
    {
        var value = new byte[ServiceValueSize];
        WriteServiceValue(value, id, count, flags, affinitySeconds);
        return value;
    }

    /// <summary>A <c>services</c> value into <paramref name="destination"/> (its first <see cref="ServiceValueSize"/> bytes).</summary>
    public static void WriteServiceValue(Span<byte> destination, uint id, int count, byte flags, int affinitySeconds)
    {
        BitConverter.TryWriteBytes(destination[..4], id);
        BitConverter.TryWriteBytes(destination.Slice(4, 2), checked((ushort)count));
        destination[6] = flags;
        destination[7] = 0;
        BitConverter.TryWriteBytes(destination.Slice(8, 4), checked((uint)affinitySeconds));
    }

    /// <summary><c>MAILLE_SERVICE_MASQUERADE</c>: externalTrafficPolicy Cluster, a connection from outside is masqueraded.</summary>
    public const byte MasqueradeFlag = 4;

    /// <summary>A <c>nodeports</c> value: a Service value and the address a connection from outside is masqueraded to.</summary>
    public static byte[] ExternalValue(uint id, int count, byte flags, int affinitySeconds, IPAddress? masquerade)
    {
        var value = new byte[ExternalValueSize];
        WriteExternalValue(value, id, count, flags, affinitySeconds, masquerade);
        return value;
    }

    /// <summary>A <c>nodeports</c> value into <paramref name="destination"/> (its first <see cref="ExternalValueSize"/> bytes).</summary>
    public static void WriteExternalValue(Span<byte> destination, uint id, int count, byte flags, int affinitySeconds, IPAddress? masquerade)
    {
        WriteServiceValue(destination, id, count, flags, affinitySeconds);
        if (masquerade is null)
        {
            destination.Slice(12, 4).Clear();
        }
        else
        {
            Address(destination.Slice(12, 4), masquerade);
        }
    }

    public static byte[] BackendKey(uint service, int slot)
    {
        var key = new byte[BackendKeySize];
        WriteBackendKey(key, service, slot);
        return key;
    }

    /// <summary>A <c>backends</c> key into <paramref name="destination"/> (its first <see cref="BackendKeySize"/> bytes).</summary>
    public static void WriteBackendKey(Span<byte> destination, uint service, int slot)
    {
        BitConverter.TryWriteBytes(destination[..4], service);
        BitConverter.TryWriteBytes(destination.Slice(4, 4), checked((uint)slot));
    }

    public static byte[] BackendValue(SocketLbBackend backend) => BitConverter.GetBytes(BackendBits(backend));

    /// <summary>
    /// A <c>backends</c> value's 8 bytes (address, port, padding) as one number in the machine's order: the endpoint
    /// written without an array, compared as a number, and the tail of its <see cref="MemberKey"/>.
    /// </summary>
    public static ulong BackendBits(SocketLbBackend backend)
    {
        Span<byte> value = stackalloc byte[BackendValueSize];
        value.Clear();
        Address(value[..4], backend.Address);
        BinaryPrimitives.WriteUInt16BigEndian(value.Slice(4, 2), checked((ushort)backend.Port));
        return BitConverter.ToUInt64(value);
    }

    public static byte[] MemberKey(uint service, SocketLbBackend backend)
    {
        var key = new byte[MemberKeySize];
        WriteMemberKey(key, service, BackendBits(backend));
        return key;
    }

    /// <summary>A <c>members</c> key into <paramref name="destination"/>: the id, then the endpoint's <see cref="BackendBits"/>.</summary>
    public static void WriteMemberKey(Span<byte> destination, uint service, ulong backendBits)
    {
        BitConverter.TryWriteBytes(destination[..4], service);
        BitConverter.TryWriteBytes(destination.Slice(4, 8), backendBits);
    }

    public static byte[] MemberValue(int slot) => BitConverter.GetBytes(checked((uint)slot));

    public static byte[] NamespaceKey(ulong cookie) => BitConverter.GetBytes(cookie);

    public static byte[] NamespaceValue() => BitConverter.GetBytes(1u);

    private static void Address(Span<byte> destination, IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || !address.TryWriteBytes(destination, out _))
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }
    }
}
