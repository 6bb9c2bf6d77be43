using System.Buffers.Binary;
using System.Text;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Netlink;

/// <summary>Reads an NLMSG_ERROR answer: success, or the errno with the kernel's extended-ack message.</summary>
internal static class NetlinkErrors
{
    /// <summary>Called for each NLMSG_ERROR (an ack or a failure) of a datagram, with its sequence number.</summary>
    public delegate void Answer(uint sequence, ReadOnlySpan<byte> message);

    /// <summary>Calls <paramref name="answer"/> for every NLMSG_ERROR message in <paramref name="datagram"/>.</summary>
    public static void ForEachAnswer(ReadOnlySpan<byte> datagram, Answer answer)
    {
        for (var offset = 0; offset + 16 <= datagram.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram[offset..]);
            if (length < 16 || offset + length > datagram.Length)
            {
                break;
            }

            var message = datagram.Slice(offset, length);
            offset += (length + 3) & ~3;
            if (BinaryPrimitives.ReadUInt16LittleEndian(message[4..]) == NlmsgError)
            {
                answer(BinaryPrimitives.ReadUInt32LittleEndian(message[8..]), message);
            }
        }
    }

    /// <summary>The failure <paramref name="message"/> reports for <paramref name="request"/>, or null for an ack.</summary>
    public static NetlinkException? Of(ReadOnlySpan<byte> message, string request)
    {
        var errno = -BinaryPrimitives.ReadInt32LittleEndian(message[16..]);
        if (errno == 0)
        {
            return null;
        }

        string? kernelMessage = null;
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        if ((flags & FlagAckTlvs) != 0)
        {
            // nlmsgerr: error (4) + the request's header (16, capped); then the extended-ack attributes.
            for (var offset = 16 + 4 + 16; offset + 4 <= message.Length;)
            {
                var attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(message[offset..]);
                var attributeType = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message[(offset + 2)..]) & ~NestedFlag);
                if (attributeLength < 4 || offset + attributeLength > message.Length)
                {
                    break;
                }

                if (attributeType == NlmsgerrAttrMessage)
                {
                    kernelMessage = Encoding.UTF8.GetString(message.Slice(offset + 4, attributeLength - 4)).TrimEnd('\0');
                }

                offset += (attributeLength + 3) & ~3;
            }
        }

        return new NetlinkException(errno, request, kernelMessage);
    }
}
