using System.Buffers.Binary;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// Reads SPDY/3.1 frames (§2.2) from a byte stream, whatever pieces the bytes come in (kubectl writes a frame's header
/// and payload as separate WebSocket messages). Every rule broken is a <see cref="SpdyProtocolException"/>, which ends
/// the session: a wrong version, a control frame of the wrong length, stream id 0, a header block that does not
/// inflate or parse, a frame larger than this reader takes, a stream cut inside a frame.
/// </summary>
internal sealed class SpdyFrameReader(Stream stream)
{
    /// <summary>The largest control frame taken: kubectl's SYN_STREAMs are under 100 bytes.</summary>
    public const int MaxControlLength = 64 * 1024;

    /// <summary>The largest data frame taken (the format allows 16 MiB; kubectl sends at most 32 KiB).</summary>
    public const int MaxDataLength = 1024 * 1024;

    private const ushort Version = 3;

    private readonly SpdyHeaderDecompressor _headers = new();
    private readonly byte[] _header = new byte[8];

    /// <summary>The next frame, or null when the stream ends between frames.</summary>
    public async ValueTask<SpdyFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(_header, allowEnd: true, cancellationToken))
        {
            return null;
        }

        var first = BinaryPrimitives.ReadUInt32BigEndian(_header);
        var second = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
        var flags = (byte)(second >> 24);
        var length = (int)(second & 0xFFFFFF);
        if ((first & 0x80000000) == 0)
        {
            var streamId = first & 0x7FFFFFFF;
            if (streamId == 0)
            {
                throw new SpdyProtocolException("a data frame for stream 0");
            }

            if (length > MaxDataLength)
            {
                throw new SpdyProtocolException($"a data frame of {length} bytes (at most {MaxDataLength} are taken)");
            }

            return SpdyFrame.DataFrame(streamId, await PayloadAsync(length, cancellationToken), (flags & SpdyFrame.FlagFin) != 0) with { Flags = flags };
        }

        var version = (first >> 16) & 0x7FFF;
        if (version != Version)
        {
            throw new SpdyProtocolException($"SPDY version {version} (this session speaks 3)");
        }

        if (length > MaxControlLength)
        {
            throw new SpdyProtocolException($"a control frame of {length} bytes (at most {MaxControlLength} are taken)");
        }

        var type = (SpdyFrameType)(first & 0xFFFF);
        var payload = await PayloadAsync(length, cancellationToken);
        return Control(type, flags, payload);
    }

    private SpdyFrame Control(SpdyFrameType type, byte flags, ReadOnlyMemory<byte> payload)
    {
        var frame = new SpdyFrame { Type = type, Flags = flags };
        switch (type)
        {
            case SpdyFrameType.SynStream:
                // Stream id, associated stream id, priority and slot, then the header block.
                Require(type, payload, 10, exact: false);
                return WithStream(frame with { Headers = [.. _headers.Decompress(payload[10..])] }, payload);
            case SpdyFrameType.SynReply:
            case SpdyFrameType.Headers:
                Require(type, payload, 4, exact: false);
                return WithStream(frame with { Headers = [.. _headers.Decompress(payload[4..])] }, payload);
            case SpdyFrameType.RstStream:
                Require(type, payload, 8, exact: true);
                var reset = WithStream(frame with { Value = Word(payload, 4) }, payload);
                return reset.Value != 0 ? reset : throw new SpdyProtocolException("a RST_STREAM with status 0");
            case SpdyFrameType.Settings:
                Require(type, payload, 4, exact: false);
                var count = Word(payload, 0);
                return payload.Length == 4 + (8L * count)
                    ? frame with { Value = count }
                    : throw new SpdyProtocolException($"a SETTINGS frame of {payload.Length} bytes for {count} settings");
            case SpdyFrameType.Ping:
                Require(type, payload, 4, exact: true);
                return frame with { StreamId = Word(payload, 0) };
            case SpdyFrameType.GoAway:
                Require(type, payload, 8, exact: true);
                return frame with { StreamId = Word(payload, 0) & 0x7FFFFFFF, Value = Word(payload, 4) };
            case SpdyFrameType.WindowUpdate:
                Require(type, payload, 8, exact: true);
                return frame with { StreamId = Word(payload, 0) & 0x7FFFFFFF, Value = Word(payload, 4) & 0x7FFFFFFF };
            default:
                // §2.2.1: a control frame of a type the receiver does not know is ignored.
                return frame with { Data = payload };
        }
    }

    private static SpdyFrame WithStream(SpdyFrame frame, ReadOnlyMemory<byte> payload)
    {
        var streamId = Word(payload, 0) & 0x7FFFFFFF;
        return streamId != 0 ? frame with { StreamId = streamId } : throw new SpdyProtocolException($"a {frame.Type} frame for stream 0");
    }

    private static void Require(SpdyFrameType type, ReadOnlyMemory<byte> payload, int length, bool exact)
    {
        if (exact ? payload.Length != length : payload.Length < length)
        {
            throw new SpdyProtocolException($"a {type} frame of {payload.Length} bytes (it takes {(exact ? "" : "at least ")}{length})");
        }
    }

    private static uint Word(ReadOnlyMemory<byte> payload, int at) => BinaryPrimitives.ReadUInt32BigEndian(payload.Span[at..]);

    private async ValueTask<ReadOnlyMemory<byte>> PayloadAsync(int length, CancellationToken cancellationToken)
    {
        var payload = new byte[length];
        await FillAsync(payload, allowEnd: false, cancellationToken);
        return payload;
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the stream ended before its first byte and that is allowed.</summary>
    private async ValueTask<bool> FillAsync(byte[] buffer, bool allowEnd, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return filled == 0 && allowEnd ? false : throw new SpdyProtocolException($"the stream ended inside a frame ({filled} of {buffer.Length} bytes)");
            }

            filled += read;
        }

        return true;
    }
}
