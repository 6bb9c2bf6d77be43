using System.Buffers.Binary;
using System.Net;

namespace Maille.Dataplane.Linux.L2;

/// <summary>ICMP echo request and reply (RFC 792), as the node health monitor sends and reads them on a raw socket.</summary>
internal static class IcmpEcho
{
    public const int RequestLength = 16;

    private const byte TypeEchoReply = 0;
    private const byte TypeEchoRequest = 8;

    /// <summary>An echo request: type 8, code 0, checksum, identifier, sequence, and 8 bytes of payload.</summary>
    public static byte[] Request(ushort identifier, ushort sequence)
    {
        var packet = new byte[RequestLength];
        packet[0] = TypeEchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        "maille\0\0"u8.CopyTo(packet.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>
    /// Reads what a raw IPv4 ICMP socket receives (the IP header first): the source of an echo reply carrying
    /// <paramref name="identifier"/>, or null for anything else.
    /// </summary>
    public static IPAddress? ReplySource(ReadOnlySpan<byte> datagram, ushort identifier)
    {
        if (datagram.Length < 20 || datagram[0] >> 4 != 4)
        {
            return null;
        }

        var headerLength = (datagram[0] & 0x0F) * 4;
        if (datagram.Length < headerLength + 8)
        {
            return null;
        }

        var icmp = datagram[headerLength..];
        return icmp[0] == TypeEchoReply && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == identifier
            ? new IPAddress(datagram.Slice(12, 4))
            : null;
    }

    /// <summary>The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
