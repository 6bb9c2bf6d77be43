using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Maille.Dataplane.Linux.Netlink;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// What the rules of some tables are in the calling thread's network namespace, as one number: every rule's chain and
/// kernel handle (<c>NFT_MSG_GETRULE</c>, dumped table by table), hashed. The kernel gives a rule a new handle whenever it
/// is added, so a table flushed, deleted, or a rule deleted, added or replaced by hand changes the fingerprint, while
/// commits to other tables (another tool's, a test's marker table) do not. Set and map elements are not read: listing
/// 40,000 of them costs what rewriting them does.
/// </summary>
public static class NftRuleFingerprint
{
    private const ushort SubsystemNftables = 10;
    private const ushort NewRule = 6;
    private const ushort GetRule = 7;
    private const ushort FlagDump = 0x300;
    private const ushort RuleTable = 1;
    private const ushort RuleChain = 2;
    private const ushort RuleHandle = 3;
    private const int NoSuchTable = 2;

    /// <summary>
    /// The fingerprint of the rules of <paramref name="tables"/> (family <c>ip</c>, <c>inet</c>, <c>ip6</c>): the same
    /// while nobody changed them; a missing table counts as empty.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static ulong Of(IEnumerable<(string Family, string Table)> tables)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var socket = NetlinkSocket.OpenNetfilter(0);
        var buffer = new byte[64 * 1024];
        uint sequence = 0;
        foreach (var (family, table) in tables)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{family} {table}\n"));
            var writer = new NetlinkMessageWriter();
            var message = writer.BeginMessage((ushort)((SubsystemNftables << 8) | GetRule), (ushort)(FlagRequest | FlagDump), ++sequence);
            var header = writer.Reserve(4);
            header.Clear();
            header[0] = NftFamilies.Number(family);
            writer.AttributeString(RuleTable, table);
            writer.EndMessage(message);
            socket.Send(writer.Written);
            Read(socket, buffer, hash);
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(hash.GetCurrentHash());
    }

    /// <summary>Reads one dump to its end, adding each rule's chain and handle to <paramref name="hash"/>.</summary>
    private static void Read(NetlinkSocket socket, byte[] buffer, IncrementalHash hash)
    {
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
                switch (type)
                {
                    case NlmsgDone:
                        return;
                    case NlmsgError when NetlinkErrors.Of(current, "dump nftables rules") is { } failure:
                        if (failure.Errno == NoSuchTable)
                        {
                            hash.AppendData("missing\n"u8);
                            return;
                        }

                        throw failure;
                    case NlmsgError:
                        return;
                    case (SubsystemNftables << 8) | NewRule:
                        AppendRule(current[20..], hash);
                        break;
                }
            }
        }
    }

    private static void AppendRule(ReadOnlySpan<byte> attributes, IncrementalHash hash)
    {
        foreach (var type in (ReadOnlySpan<ushort>)[RuleChain, RuleHandle])
        {
            if (NetlinkAttributes.TryFind(attributes, type, out var value))
            {
                hash.AppendData(value);
            }

            hash.AppendData("\t"u8);
        }

        hash.AppendData("\n"u8);
    }
}
