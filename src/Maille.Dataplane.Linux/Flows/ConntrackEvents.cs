using System.Buffers.Binary;
using System.Net;
using Maille.Dataplane.Linux.Netlink;

namespace Maille.Dataplane.Linux.Flows;

/// <summary>
/// Parses ctnetlink event datagrams (linux/netfilter/nfnetlink_conntrack.h): messages of type
/// <c>NFNL_SUBSYS_CTNETLINK &lt;&lt; 8 | IPCTNL_MSG_CT_NEW</c>, an nfgenmsg, then <c>CTA_TUPLE_ORIG</c> and
/// <c>CTA_TUPLE_REPLY</c>, each nesting <c>CTA_TUPLE_IP</c> (<c>CTA_IP_V4_SRC</c>, <c>CTA_IP_V4_DST</c>) and
/// <c>CTA_TUPLE_PROTO</c> (<c>CTA_PROTO_NUM</c>, <c>CTA_PROTO_SRC_PORT</c>, <c>CTA_PROTO_DST_PORT</c>, big-endian).
/// IPv4 only, like the lab; other families and messages are skipped.
/// </summary>
public static class ConntrackEvents
{
    /// <summary>The multicast group of new connections, NFNLGRP_CONNTRACK_NEW, as a bind mask.</summary>
    public const uint NewGroupMask = 1u << (1 - 1);

    private const ushort NewMessage = (1 << 8) | 0;
    private const byte AfInet = 2;
    private const ushort TupleOriginal = 1;
    private const ushort TupleReply = 2;
    private const ushort TupleIp = 1;
    private const ushort TupleProto = 2;
    private const ushort IpV4Source = 1;
    private const ushort IpV4Destination = 2;
    private const ushort ProtoNumber = 1;
    private const ushort ProtoSourcePort = 2;
    private const ushort ProtoDestinationPort = 3;

    /// <summary>Every new IPv4 connection in <paramref name="datagram"/>, in order.</summary>
    public static IReadOnlyList<ConntrackEvent> Parse(ReadOnlySpan<byte> datagram)
    {
        var events = new List<ConntrackEvent>(1);
        NetlinkAttributes.ForEachMessage(datagram, (type, payload) =>
        {
            // nfgenmsg: family, version, resource id (2).
            if (type != NewMessage || payload.Length < 4 || payload[0] != AfInet)
            {
                return;
            }

            var attributes = payload[4..];
            if (NetlinkAttributes.TryFind(attributes, TupleOriginal, out var original) && NetlinkAttributes.TryFind(attributes, TupleReply, out var reply)
                && Tuple(original) is { } o && Tuple(reply) is { } r && o.Protocol == r.Protocol)
            {
                events.Add(new ConntrackEvent(o.Protocol, o.Source, o.SourcePort, o.Destination, o.DestinationPort, r.Source, r.SourcePort, r.Destination, r.DestinationPort));
            }
        });
        return events;
    }

    private static (byte Protocol, IPAddress Source, ushort SourcePort, IPAddress Destination, ushort DestinationPort)? Tuple(ReadOnlySpan<byte> tuple)
    {
        if (!NetlinkAttributes.TryFind(tuple, TupleIp, out var ip) || !NetlinkAttributes.TryFind(tuple, TupleProto, out var proto)
            || !NetlinkAttributes.TryFind(ip, IpV4Source, out var source) || source.Length != 4
            || !NetlinkAttributes.TryFind(ip, IpV4Destination, out var destination) || destination.Length != 4
            || !NetlinkAttributes.TryFind(proto, ProtoNumber, out var number) || number.Length < 1)
        {
            return null;
        }

        return (number[0], new IPAddress(source), Port(proto, ProtoSourcePort), new IPAddress(destination), Port(proto, ProtoDestinationPort));
    }

    private static ushort Port(ReadOnlySpan<byte> proto, ushort type) =>
        NetlinkAttributes.TryFind(proto, type, out var port) && port.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(port) : (ushort)0;
}
