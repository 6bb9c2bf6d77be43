using System.Buffers.Binary;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// Writes SPDY/3.1 frames (§2.2), each in one write (one WebSocket message when the stream is a WebSocket's), one at a
/// time: the streams of a session share it, and the header compressor's state must follow the order on the wire.
/// </summary>
internal sealed class SpdyFrameWriter(Stream stream) : IDisposable
{
    private const ushort Version = 3;

    private readonly SpdyHeaderCompressor _headers = new();
    private readonly SemaphoreSlim _writing = new(1);

    public void Dispose() => _writing.Dispose();

    public async ValueTask WriteAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(Encode(frame), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    private byte[] Encode(SpdyFrame frame)
    {
        if (frame.Type == SpdyFrameType.Data)
        {
            var data = new byte[8 + frame.Data.Length];
            BinaryPrimitives.WriteUInt32BigEndian(data, frame.StreamId & 0x7FFFFFFF);
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), ((uint)frame.Flags << 24) | (uint)frame.Data.Length);
            frame.Data.Span.CopyTo(data.AsSpan(8));
            return data;
        }

        var payload = Payload(frame);
        var bytes = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x80000000u | ((uint)Version << 16) | (uint)frame.Type);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), ((uint)frame.Flags << 24) | (uint)payload.Length);
        payload.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private byte[] Payload(SpdyFrame frame) => frame.Type switch
    {
        // Priority and slot are 0: the session does not prioritise.
        SpdyFrameType.SynStream => [.. Words(frame.StreamId, 0), 0, 0, .. _headers.Compress(frame.Headers)],
        SpdyFrameType.SynReply or SpdyFrameType.Headers => [.. Words(frame.StreamId), .. _headers.Compress(frame.Headers)],
        SpdyFrameType.RstStream or SpdyFrameType.GoAway or SpdyFrameType.WindowUpdate => Words(frame.StreamId, frame.Value),
        SpdyFrameType.Ping => Words(frame.StreamId),
        SpdyFrameType.Settings => Words(0),
        _ => throw new ArgumentException($"cannot write a frame of type {frame.Type}", nameof(frame)),
    };

    private static byte[] Words(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        }

        return bytes;
    }
}
