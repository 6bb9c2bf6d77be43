using System.Buffers.Binary;
using Maille.Dataplane.Linux.Netlink;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// The nftables ruleset generation of the calling thread's network namespace (<c>NFT_MSG_GETGEN</c>): the kernel adds
/// one at every committed transaction, whoever sent it. A node agent that remembers the generation its own last commit
/// left can tell, with one netlink round trip, that someone else changed the ruleset since (a table flushed or edited by
/// hand), without listing any table.
/// </summary>
public static class NftGeneration
{
    private const ushort SubsystemNftables = 10;
    private const ushort GetGeneration = 16;
    private const ushort NewGeneration = 15;
    private const ushort GenerationIdAttribute = 1;

    /// <summary>The current generation id.</summary>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    public static uint Current()
    {
        var writer = new NetlinkMessageWriter();
        var message = writer.BeginMessage((ushort)((SubsystemNftables << 8) | GetGeneration), FlagRequest, 1);
        writer.Reserve(4).Clear();
        writer.EndMessage(message);
        using var socket = NetlinkSocket.OpenNetfilter(0);
        socket.Send(writer.Written);
        var buffer = new byte[4096];
        while (true)
        {
            var received = socket.Receive(buffer);
            var answer = buffer.AsSpan(0, received);
            for (var offset = 0; offset + 16 <= answer.Length;)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(answer[offset..]);
                if (length < 16 || offset + length > answer.Length)
                {
                    break;
                }

                var current = answer.Slice(offset, length);
                offset += (length + 3) & ~3;
                var type = BinaryPrimitives.ReadUInt16LittleEndian(current[4..]);
                if (type == NlmsgError && NetlinkErrors.Of(current, "get nftables generation") is { } failure)
                {
                    throw failure;
                }

                if (type == ((SubsystemNftables << 8) | NewGeneration) && NetlinkAttributes.TryFind(current[20..], GenerationIdAttribute, out var id) && id.Length >= 4)
                {
                    return BinaryPrimitives.ReadUInt32BigEndian(id);
                }
            }
        }
    }
}
