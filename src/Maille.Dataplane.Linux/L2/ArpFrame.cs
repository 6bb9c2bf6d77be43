using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Maille.Dataplane.Linux.L2;

/// <summary>
/// Ethernet frames carrying ARP (RFC 826), as the announcer sends them: gratuitous ARP, where the sender and target
/// protocol addresses are both the announced address (RFC 5227's ARP announcement), broadcast. Linux takes such a
/// packet as a "garp" and overrides its neighbour entry at once, even inside the one-second locktime.
/// </summary>
internal static class ArpFrame
{
    /// <summary>Ethernet's minimum frame (without FCS): 14 header + 28 ARP + 18 padding.</summary>
    public const int Length = 60;

    public const ushort EtherTypeArp = 0x0806;
    public const ushort OperationRequest = 1;
    public const ushort OperationReply = 2;

    /// <summary>
    /// A gratuitous ARP from <paramref name="sender"/> for <paramref name="address"/>: a request (target hardware
    /// address zero, as <c>arping -U</c> sends) or a reply (target hardware address = sender, as <c>arping -A</c>).
    /// </summary>
    public static byte[] Gratuitous(PhysicalAddress sender, IPAddress address, ushort operation)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not IPv4: ARP announces IPv4 addresses only", nameof(address));
        }

        var mac = sender.GetAddressBytes();
        if (mac.Length != 6)
        {
            throw new ArgumentException($"{sender} is not an Ethernet address", nameof(sender));
        }

        var frame = new byte[Length];
        var span = frame.AsSpan();
        span[..6].Fill(0xFF);
        mac.CopyTo(span[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], EtherTypeArp);
        var arp = span[14..];
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);             // hardware type: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800);   // protocol type: IPv4
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], operation);
        mac.CopyTo(arp[8..]);
        address.TryWriteBytes(arp[14..], out _);
        if (operation == OperationReply)
        {
            mac.CopyTo(arp[18..]);
        }

        address.TryWriteBytes(arp[24..], out _);
        return frame;
    }
}
