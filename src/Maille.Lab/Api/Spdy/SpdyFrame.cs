using System.Collections.Immutable;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// One SPDY/3.1 frame as read or to be written. The fields mean what the frame's type makes them mean, as on the wire:
/// <see cref="StreamId"/> is the stream's id, a PING's id, or a GOAWAY's last good stream id; <see cref="Value"/> is a
/// RST_STREAM's or GOAWAY's status code, or a WINDOW_UPDATE's delta; <see cref="Headers"/> are the decoded header
/// block of SYN_STREAM, SYN_REPLY and HEADERS (names lowercase, as the spec requires).
/// </summary>
internal sealed record SpdyFrame
{
    /// <summary>FLAG_FIN: the sender's half of the stream ends with this frame (data and SYN frames).</summary>
    public const byte FlagFin = 0x01;

    /// <summary>RST_STREAM status codes the session uses (§2.6.3).</summary>
    public const uint ProtocolError = 1;
    public const uint RefusedStream = 3;
    public const uint Cancel = 5;

    /// <summary>GOAWAY status codes (§2.6.6).</summary>
    public const uint GoAwayOk = 0;
    public const uint GoAwayProtocolError = 1;

    public required SpdyFrameType Type { get; init; }

    public byte Flags { get; init; }

    public uint StreamId { get; init; }

    public uint Value { get; init; }

    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];

    public ReadOnlyMemory<byte> Data { get; init; }

    public bool IsFin => (Flags & FlagFin) != 0;

    /// <summary>The first value of header <paramref name="name"/> (lowercase), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    public static SpdyFrame DataFrame(uint streamId, ReadOnlyMemory<byte> data, bool fin = false) =>
        new() { Type = SpdyFrameType.Data, StreamId = streamId, Data = data, Flags = fin ? FlagFin : (byte)0 };

    public static SpdyFrame SynStream(uint streamId, IEnumerable<KeyValuePair<string, string>> headers, bool fin = false) =>
        new() { Type = SpdyFrameType.SynStream, StreamId = streamId, Headers = [.. headers], Flags = fin ? FlagFin : (byte)0 };

    public static SpdyFrame SynReply(uint streamId, bool fin = false) =>
        new() { Type = SpdyFrameType.SynReply, StreamId = streamId, Flags = fin ? FlagFin : (byte)0 };

    public static SpdyFrame RstStream(uint streamId, uint status) => new() { Type = SpdyFrameType.RstStream, StreamId = streamId, Value = status };

    public static SpdyFrame Ping(uint id) => new() { Type = SpdyFrameType.Ping, StreamId = id };

    public static SpdyFrame GoAway(uint lastGoodStreamId, uint status) => new() { Type = SpdyFrameType.GoAway, StreamId = lastGoodStreamId, Value = status };
}
