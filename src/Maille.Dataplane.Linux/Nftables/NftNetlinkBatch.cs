using System.Buffers.Binary;
using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Nftables;
using static Maille.Dataplane.Linux.Netlink.RtNetlinkConstants;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// One nftables transaction written as netlink messages, without libnftables' text parser: element additions to
/// named sets and maps whose <see cref="NftElementLayout"/> is known, and waking a dormant table. libnftables spends
/// most of a 100,000-element load parsing and evaluating text (docs/services-dataplane.md); these messages carry the
/// same elements straight to the kernel. Like an <c>nft -f</c> file, the batch is applied whole or not at all.
/// Use on a thread inside the target namespace; not thread-safe.
/// </summary>
internal sealed class NftNetlinkBatch
{
    private const ushort SubsystemNftables = 10;
    private const ushort BatchBegin = 16;
    private const ushort BatchEnd = 17;
    private const ushort NewTable = 0;
    private const ushort NewSetElement = 12;
    private const ushort DeleteSetElement = 14;
    private const ushort TableName = 1;
    private const ushort TableFlags = 2;
    private const ushort ListTable = 1;
    private const ushort ListSet = 2;
    private const ushort ListElements = 3;
    private const ushort ListElement = 1;
    private const ushort ElementKey = 1;
    private const ushort ElementData = 2;
    private const ushort DataValue = 1;
    private const ushort DataVerdict = 2;
    private const ushort VerdictCode = 1;
    private const ushort VerdictChain = 2;

    // The elements of one message are one nested attribute, whose length is 16 bits.
    private const int MaxElementBytes = 60_000;

    private readonly NetlinkMessageWriter _writer = new();
    private readonly List<(uint Sequence, string Request)> _requests = [];
    private readonly byte _family;
    private readonly string _table;
    private uint _sequence;
    private int _lastAcked = -1;

    public NftNetlinkBatch(string family, string table)
    {
        _family = NftFamilies.Number(family);
        _table = table;
        Message(BatchBegin, FlagRequest, familyOverride: 0, resourceId: SubsystemNftables);
    }

    public int ElementCount { get; private set; }

    /// <summary>Adds <paramref name="elements"/> to <paramref name="set"/>, which must have a layout.</summary>
    public void AddElements(NftSet set, IEnumerable<NftElement> elements) => Elements(NewSetElement, set, elements, withValue: true);

    /// <summary>Deletes <paramref name="elements"/> (by key, as nftables matches them) from <paramref name="set"/>.</summary>
    public void DeleteElements(NftSet set, IEnumerable<NftElement> elements) => Elements(DeleteSetElement, set, elements, withValue: false);

    private void Elements(ushort type, NftSet set, IEnumerable<NftElement> elements, bool withValue)
    {
        var layout = NftElementLayout.Of(set) ?? throw new ArgumentException($"set {set.Name} ({set.Declaration}) has no netlink layout", nameof(set));
        Span<byte> key = stackalloc byte[layout.KeyLength];
        Span<byte> data = stackalloc byte[Math.Max(4, layout.DataLength)];
        Span<byte> code = stackalloc byte[4];
        int message = -1, list = -1;
        foreach (var element in elements)
        {
            if (message < 0 || _writer.Length - list > MaxElementBytes)
            {
                if (message >= 0)
                {
                    _writer.EndNested(list);
                    _writer.EndMessage(message);
                }

                message = Message((ushort)((SubsystemNftables << 8) | type), (ushort)(FlagRequest | FlagAck | (withValue ? FlagCreate : 0)));
                _writer.AttributeString(ListTable, _table);
                _writer.AttributeString(ListSet, set.Name);
                list = _writer.BeginNested(ListElements | NestedFlag);
                _requests.Add((_sequence, $"{(withValue ? "add" : "delete")} element {_table} {set.Name} {{ {(withValue ? element.Text : element.Key)}, … }}"));
            }

            var item = _writer.BeginNested(ListElement | NestedFlag);
            NftElementLayout.Write(layout.Key, element.Key, key);
            Value(ElementKey, key);
            if (withValue && layout.IsVerdictMap)
            {
                var verdict = element.Verdict ?? throw new ArgumentException($"element {element.Text} of verdict map {set.Name} has no verdict");
                var outer = _writer.BeginNested(ElementData | NestedFlag);
                var inner = _writer.BeginNested(DataVerdict | NestedFlag);
                BinaryPrimitives.WriteInt32BigEndian(code, Code(verdict.Kind));
                _writer.Attribute(VerdictCode, code);
                if (verdict.Chain is { } chain)
                {
                    _writer.AttributeString(VerdictChain, chain);
                }

                _writer.EndNested(inner);
                _writer.EndNested(outer);
            }
            else if (withValue && layout.Data is { } fields)
            {
                NftElementLayout.Write(fields, element.Data ?? throw new ArgumentException($"element {element.Text} of map {set.Name} has no value"), data);
                Value(ElementData, data[..layout.DataLength]);
            }

            _writer.EndNested(item);
            ElementCount++;
        }

        if (message >= 0)
        {
            _writer.EndNested(list);
            _writer.EndMessage(message);
        }
    }

    /// <summary>Clears the table's flags, so a table loaded with <c>flags dormant</c> starts seeing packets.</summary>
    public void WakeTable()
    {
        var message = Message((ushort)((SubsystemNftables << 8) | NewTable), FlagRequest | FlagAck);
        _writer.AttributeString(TableName, _table);
        _writer.AttributeU32(TableFlags, 0);
        _writer.EndMessage(message);
        _requests.Add((_sequence, $"wake table {_table}"));
    }

    /// <summary>Sends the batch as one transaction; throws the kernel's first error (nothing is then applied).</summary>
    public void Commit()
    {
        var end = Message(BatchEnd, FlagRequest, familyOverride: 0, resourceId: SubsystemNftables);
        _writer.EndMessage(end);
        using var socket = NetlinkSocket.OpenNetfilter(_writer.Length + (1 << 20));
        socket.Send(_writer.Written);
        AwaitAnswers(socket);
    }

    private void AwaitAnswers(NetlinkSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var answered = new HashSet<uint>();
        NetlinkException? failure = null;
        var last = _requests.Count == 0 ? 0 : _requests[^1].Sequence;
        var first = _requests.Count == 0 ? 0 : _requests[0].Sequence;
        var blocking = true;
        while (_requests.Count > 0 && !answered.Contains(last) && (failure is null || blocking))
        {
            var received = blocking ? socket.Receive(buffer) : socket.TryReceive(buffer);
            if (received < 0)
            {
                break;
            }

            NetlinkErrors.ForEachAnswer(buffer.AsSpan(0, received), (answerSequence, answer) =>
            {
                if (answerSequence < first || answerSequence > last)
                {
                    return;
                }

                answered.Add(answerSequence);
                failure ??= NetlinkErrors.Of(answer, _requests.Find(r => r.Sequence == answerSequence).Request ?? "");
            });

            // The kernel answers a batch all at once: after an error, read what is already queued, then stop.
            blocking = failure is null;
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    private void Value(ushort type, ReadOnlySpan<byte> bytes)
    {
        var nested = _writer.BeginNested((ushort)(type | NestedFlag));
        _writer.Attribute(DataValue, bytes);
        _writer.EndNested(nested);
    }

    private int Message(ushort type, ushort flags, byte? familyOverride = null, ushort resourceId = 0)
    {
        var start = _writer.BeginMessage(type, flags, ++_sequence);

        // Only the last request asks for an ack: the kernel answers a failed request whether or not it asked, and the
        // ack of the last one says the whole batch was applied. An ack for each of 30,000 one-element messages (a pod
        // backing 10,000 Services turning unready) overflowed the socket's receive buffer (ENOBUFS) before any was read.
        if ((flags & FlagAck) != 0)
        {
            if (_lastAcked >= 0)
            {
                _writer.ClearFlags(_lastAcked, FlagAck);
            }

            _lastAcked = start;
        }

        var header = _writer.Reserve(4);
        header[0] = familyOverride ?? _family;
        header[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], resourceId);
        if (type is BatchBegin)
        {
            _writer.EndMessage(start);
        }

        return start;
    }

    private static int Code(NftVerdictKind kind) => kind switch
    {
        NftVerdictKind.Accept => 1,
        NftVerdictKind.Drop => 0,
        NftVerdictKind.Return => -5,
        NftVerdictKind.Jump => -3,
        NftVerdictKind.Goto => -4,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
