using System.Buffers.Binary;
using System.Net;
using System.Numerics;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// An SCTP packet holding one INIT chunk (RFC 9260 §3.3.2), the first packet of an association, written and read as
/// bytes: this kernel has no SCTP stack (socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) fails with EPROTONOSUPPORT), so a
/// policy probe sends the INIT from a raw socket (IP protocol 132) and the server sees it arrive on another. The rules
/// match it as they would a real client's (<c>meta l4proto sctp</c>, <c>th dport</c>, conntrack's new SCTP flow); no
/// association follows.
/// </summary>
internal static class SctpInit
{
    public const int Protocol = 132;

    private const int CommonHeader = 12;
    private const int InitChunk = 20;

    /// <summary>The packet (without the IP header, which the kernel writes), its CRC32c checksum filled in.</summary>
    public static byte[] Packet(int sourcePort, int destinationPort, uint initiateTag)
    {
        var packet = new byte[CommonHeader + InitChunk];
        var span = packet.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)destinationPort);
        // Verification tag 0 (an INIT's), checksum 0 while it is computed.
        span[CommonHeader] = 1;                                                    // chunk type INIT, flags 0
        BinaryPrimitives.WriteUInt16BigEndian(span[(CommonHeader + 2)..], InitChunk); // chunk length
        BinaryPrimitives.WriteUInt32BigEndian(span[(CommonHeader + 4)..], initiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(span[(CommonHeader + 8)..], 65536);  // advertised receiver window
        BinaryPrimitives.WriteUInt16BigEndian(span[(CommonHeader + 12)..], 1);     // outbound streams
        BinaryPrimitives.WriteUInt16BigEndian(span[(CommonHeader + 14)..], 1);     // inbound streams
        BinaryPrimitives.WriteUInt32BigEndian(span[(CommonHeader + 16)..], initiateTag); // initial TSN
        // Stored least significant byte first (RFC 9260 appendix A, Linux's sctp_compute_cksum).
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Crc32C(packet));
        return packet;
    }

    /// <summary>CRC32c (Castagnoli) as SCTP and iSCSI use it: initial value and final result inverted.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        var crc = uint.MaxValue;
        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Reads what a raw IPv4 socket received: the sender's address and the SCTP ports, if it is an SCTP packet.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out IPAddress source, out int sourcePort, out int destinationPort)
    {
        (source, sourcePort, destinationPort) = (IPAddress.None, 0, 0);
        if (datagram.Length < 20 || datagram[9] != Protocol)
        {
            return false;
        }

        var headerLength = (datagram[0] & 0x0f) * 4;
        if (datagram.Length < headerLength + CommonHeader)
        {
            return false;
        }

        source = new IPAddress(datagram.Slice(12, 4));
        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(datagram[headerLength..]);
        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(datagram[(headerLength + 2)..]);
        return true;
    }
}
