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

    public static byte[] ServiceKey(IPAddress address, int port, Protocol protocol)
    {
        var key = new byte[ServiceKeySize];
        Address(key.AsSpan(0, 4), address);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(4, 2), checked((ushort)port));
        key[6] = (byte)(protocol == Protocol.TCP ? ProtocolType.Tcp : ProtocolType.Udp);
        return key;
    }

    public static byte[] ServiceValue(uint id, int count, byte flags, int affinitySeconds)
    {
        var value = new byte[ServiceValueSize];
        BitConverter.TryWriteBytes(value.AsSpan(0, 4), id);
        BitConverter.TryWriteBytes(value.AsSpan(4, 2), checked((ushort)count));
        value[6] = flags;
        BitConverter.TryWriteBytes(value.AsSpan(8, 4), checked((uint)affinitySeconds));
        return value;
    }

    /// <summary><c>MAILLE_SERVICE_MASQUERADE</c>: externalTrafficPolicy Cluster, a connection from outside is masqueraded.</summary>
    public const byte MasqueradeFlag = 4;

    /// <summary>A <c>nodeports</c> value: a Service value and the address a connection from outside is masqueraded to.</summary>
    public static byte[] ExternalValue(uint id, int count, byte flags, int affinitySeconds, IPAddress? masquerade)
    {
        var value = new byte[ExternalValueSize];
        ServiceValue(id, count, flags, affinitySeconds).CopyTo(value, 0);
        if (masquerade is not null)
        {
            Address(value.AsSpan(12, 4), masquerade);
        }

        return value;
    }

    public static byte[] BackendKey(uint service, int slot)
    {
        var key = new byte[BackendKeySize];
        BitConverter.TryWriteBytes(key.AsSpan(0, 4), service);
        BitConverter.TryWriteBytes(key.AsSpan(4, 4), checked((uint)slot));
        return key;
    }

    public static byte[] BackendValue(SocketLbBackend backend)
    {
        var value = new byte[BackendValueSize];
        Address(value.AsSpan(0, 4), backend.Address);
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(4, 2), checked((ushort)backend.Port));
        return value;
    }

    public static byte[] MemberKey(uint service, SocketLbBackend backend)
    {
        var key = new byte[MemberKeySize];
        BitConverter.TryWriteBytes(key.AsSpan(0, 4), service);
        Address(key.AsSpan(4, 4), backend.Address);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(8, 2), checked((ushort)backend.Port));
        return key;
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
