using System.Buffers.Binary;

namespace Maille.Dataplane.Linux.Netlink;

/// <summary>Reads attributes (struct nlattr: length, type, value, padded to 4 bytes) of a netlink message, nested or not.</summary>
internal static class NetlinkAttributes
{
    /// <summary>The value of the first attribute of <paramref name="type"/> (the nested flag ignored), or false.</summary>
    public static bool TryFind(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> value)
    {
        for (var offset = 0; offset + 4 <= attributes.Length;)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(attributes[offset..]);
            if (length < 4 || offset + length > attributes.Length)
            {
                break;
            }

            if ((BinaryPrimitives.ReadUInt16LittleEndian(attributes[(offset + 2)..]) & 0x3fff) == type)
            {
                value = attributes.Slice(offset + 4, length - 4);
                return true;
            }

            offset += (length + 3) & ~3;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Calls <paramref name="each"/> with the type and payload of each message of <paramref name="datagram"/> whose
    /// header is whole (a datagram may carry several).
    /// </summary>
    public static void ForEachMessage(ReadOnlySpan<byte> datagram, MessageVisitor each)
    {
        for (var offset = 0; offset + 16 <= datagram.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < 16 || offset + length > datagram.Length)
            {
                break;
            }

            each(BinaryPrimitives.ReadUInt16LittleEndian(datagram[(offset + 4)..]), datagram.Slice(offset + 16, length - 16));
            offset += (length + 3) & ~3;
        }
    }

    /// <summary>One message: its type and what follows its header.</summary>
    public delegate void MessageVisitor(ushort type, ReadOnlySpan<byte> payload);
}
