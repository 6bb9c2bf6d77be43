using System.Buffers.Binary;
using System.Net;
using System.Text;
using Maille.Dataplane.Linux.Netlink;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// nfnetlink_log's messages (linux/netfilter/nfnetlink_log.h): the configuration that binds a socket to a log group,
/// and the parser of the <c>NFULNL_MSG_PACKET</c> messages it then receives (<c>NFULA_PREFIX</c>, <c>NFULA_PAYLOAD</c>
/// from the IPv4 header on, <c>NFULA_SEQ</c>).
/// </summary>
public static class NflogMessages
{
    private const ushort Subsystem = 4;
    private const ushort PacketMessage = (Subsystem << 8) | 0;
    private const ushort ConfigMessage = (Subsystem << 8) | 1;
    private const ushort AttributePayload = 9;
    private const ushort AttributePrefix = 10;
    private const ushort AttributeSequence = 12;
    private const ushort ConfigCommand = 1;
    private const ushort ConfigMode = 2;
    private const ushort ConfigBufferSize = 3;
    private const ushort ConfigTimeout = 4;
    private const ushort ConfigQueueThreshold = 5;
    private const ushort ConfigFlags = 6;
    private const byte CommandBind = 1;
    private const byte CopyPacket = 2;
    private const ushort FlagSequence = 0x1;

    /// <summary>Bytes of each packet copied: an IPv4 header with options (60) and the ports after it.</summary>
    public const int CopyRange = 64;

    /// <summary>
    /// One config request that binds the sending socket to <paramref name="group"/> and sets its delivery: packets copied up
    /// to <see cref="CopyRange"/> bytes, sequence numbers on, and at most <paramref name="queueThreshold"/> packets or
    /// <paramref name="flushHundredths"/> hundredths of a second held in the kernel before they are sent, in datagrams
    /// of up to <paramref name="bufferBytes"/>.
    /// </summary>
    public static byte[] Bind(ushort group, uint queueThreshold = 64, uint flushHundredths = 1, uint bufferBytes = 64 * 1024)
    {
        var writer = new NetlinkMessageWriter();
        var message = writer.BeginMessage(ConfigMessage, FlagRequest | FlagAck, 1);
        var header = writer.Reserve(4);
        header[0] = AfUnspec;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], group);
        writer.Attribute(ConfigCommand, [CommandBind]);
        Span<byte> mode = stackalloc byte[6];
        BinaryPrimitives.WriteUInt32BigEndian(mode, CopyRange);
        mode[4] = CopyPacket;
        writer.Attribute(ConfigMode, mode);
        writer.Attribute(ConfigBufferSize, BigEndian(bufferBytes));
        writer.Attribute(ConfigTimeout, BigEndian(flushHundredths));
        writer.Attribute(ConfigQueueThreshold, BigEndian(queueThreshold));
        writer.AttributeU16BigEndian(ConfigFlags, FlagSequence);
        writer.EndMessage(message);
        return writer.Written.ToArray();
    }

    /// <summary>Every logged IPv4 packet in <paramref name="datagram"/>, in order.</summary>
    public static IReadOnlyList<NflogPacket> Parse(ReadOnlySpan<byte> datagram)
    {
        var packets = new List<NflogPacket>(1);
        NetlinkAttributes.ForEachMessage(datagram, (type, payload) =>
        {
            if (type != PacketMessage || payload.Length < 4)
            {
                return;
            }

            var attributes = payload[4..];
            if (!NetlinkAttributes.TryFind(attributes, AttributePayload, out var ip) || ip.Length < 20 || ip[0] >> 4 != 4)
            {
                return;
            }

            var prefix = NetlinkAttributes.TryFind(attributes, AttributePrefix, out var text) ? Encoding.UTF8.GetString(text).TrimEnd('\0') : "";
            uint? sequence = NetlinkAttributes.TryFind(attributes, AttributeSequence, out var seq) && seq.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(seq) : null;
            var headerLength = (ip[0] & 0xf) * 4;
            var protocol = ip[9];
            var hasPorts = protocol is 6 or 17 or 132 && ip.Length >= headerLength + 4;
            packets.Add(new NflogPacket(
                prefix,
                protocol,
                new IPAddress(ip.Slice(12, 4)),
                hasPorts ? BinaryPrimitives.ReadUInt16BigEndian(ip[headerLength..]) : (ushort)0,
                new IPAddress(ip.Slice(16, 4)),
                hasPorts ? BinaryPrimitives.ReadUInt16BigEndian(ip[(headerLength + 2)..]) : (ushort)0,
                sequence));
        });
        return packets;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
