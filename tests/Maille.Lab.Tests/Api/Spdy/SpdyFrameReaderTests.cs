using Maille.Lab.Api.Spdy;

namespace Maille.Lab.Tests.Api.Spdy;

/// <summary>
/// The reader against frames written out from SPDY/3.1's layout (§2.2): a control frame is <c>1|version(15)|type(16)</c>,
/// <c>flags(8)|length(24)</c>, then its payload; a data frame <c>0|stream id(31)</c>, <c>flags(8)|length(24)</c>, data.
/// </summary>
public sealed class SpdyFrameReaderTests
{
    [Fact]
    public async Task KubectlsTwoSynStreams_ReadAsStreamsOneAndThree_WithTheirHeaders()
    {
        var reader = Reader([.. SpdyFrames.KubectlErrorStream, .. SpdyFrames.KubectlDataStream]);

        var error = await reader.ReadAsync(default);
        var data = await reader.ReadAsync(default);
        var end = await reader.ReadAsync(default);

        Assert.Equal((SpdyFrameType.SynStream, 1u, "error", "80", "0"), (error!.Type, error.StreamId, error.Header("streamtype"), error.Header("port"), error.Header("requestid")));
        Assert.Equal((SpdyFrameType.SynStream, 3u, "data"), (data!.Type, data.StreamId, data.Header("streamtype")));
        Assert.Null(end);
    }

    [Fact]
    public async Task AFrameArrivingOneByteAtATime_ReadsTheSame()
    {
        // kubectl's framer writes a frame's header and payload in separate writes, each its own WebSocket message.
        var reader = new SpdyFrameReader(new TrickleStream([.. SpdyFrames.KubectlErrorStream, 0, 0, 0, 3, 1, 0, 0, 2, (byte)'h', (byte)'i']));

        var syn = await reader.ReadAsync(default);
        var data = await reader.ReadAsync(default);

        Assert.Equal("error", syn!.Header("streamtype"));
        Assert.Equal((SpdyFrameType.Data, 3u, true, "hi"), (data!.Type, data.StreamId, data.IsFin, System.Text.Encoding.ASCII.GetString(data.Data.Span)));
    }

    [Fact]
    public async Task ControlFrames_ReadWithTheirFields()
    {
        var reader = Reader(
        [
            0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 3, 0, 0, 0, 5,          // RST_STREAM stream 3, CANCEL
            0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7,                      // PING id 7
            0x80, 3, 0, 4, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 7, 0, 1, 0, 0, // SETTINGS, one: INITIAL_WINDOW_SIZE 65536
            0x80, 3, 0, 9, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0x10, 0,       // WINDOW_UPDATE stream 1, +4096
            0x80, 3, 0, 0x42, 0, 0, 0, 2, 0xAB, 0xCD,                   // a type nobody knows: ignored, not an error
            0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 0,          // GOAWAY, last good stream 5, OK
        ]);

        var frames = new List<SpdyFrame>();
        while (await reader.ReadAsync(default) is { } frame)
        {
            frames.Add(frame);
        }

        Assert.Equal(
            [(SpdyFrameType.RstStream, 3u, 5u), (SpdyFrameType.Ping, 7u, 0u), (SpdyFrameType.Settings, 0u, 1u), (SpdyFrameType.WindowUpdate, 1u, 4096u), ((SpdyFrameType)0x42, 0u, 0u), (SpdyFrameType.GoAway, 5u, 0u)],
            frames.Select(f => (f.Type, f.StreamId, f.Value)));
    }

    public static TheoryData<string, byte[]> MalformedFrames => new()
    {
        { "SPDY version 2", [0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1] },
        { "data for stream 0", [0, 0, 0, 0, 0, 0, 0, 1, 0x41] },
        { "a data frame larger than taken", [0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF] },
        { "a control frame larger than taken", [0x80, 3, 0, 1, 0, 0x10, 0, 0] },
        { "RST_STREAM of 4 bytes", [0x80, 3, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1] },
        { "RST_STREAM with status 0", [0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0] },
        { "RST_STREAM for stream 0", [0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1] },
        { "PING of 8 bytes", [0x80, 3, 0, 6, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1] },
        { "GOAWAY of 4 bytes", [0x80, 3, 0, 7, 0, 0, 0, 4, 0, 0, 0, 1] },
        { "WINDOW_UPDATE of 12 bytes", [0x80, 3, 0, 9, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1] },
        { "SETTINGS that count 2 and hold 1", [0x80, 3, 0, 4, 0, 0, 0, 12, 0, 0, 0, 2, 0, 0, 0, 7, 0, 1, 0, 0] },
        { "SYN_STREAM shorter than its fixed fields", [0x80, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 1, 0, 0] },
        { "SYN_STREAM whose header block is not zlib", [0x80, 3, 0, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF] },
        { "a header block with a corrupt Huffman table (SharpZipLib threw IndexOutOfRangeException)", [.. SpdyFrames.KubectlErrorStream, 0x80, 3, 0, 1, 3, 0, 0, 14, 0xF5, 0xF5, 0x2E, 0x92, 0x6B, 0x99, 0x66, 0xE6, 0x57, 0xD9, 0xDC, 0x08, 0x22, 0x06] },
        { "SYN_STREAM for stream 0", [.. SpdyFrames.KubectlErrorStream[..8], 0, 0, 0, 0, .. SpdyFrames.KubectlErrorStream[12..]] },
        { "SYN_REPLY shorter than its stream id", [0x80, 3, 0, 2, 0, 0, 0, 2, 0, 0] },
        { "cut inside a frame header", [0x80, 3, 0] },
        { "cut inside a payload", [0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3] },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task AMalformedFrame_IsAProtocolError(string why, byte[] bytes)
    {
        var error = await Assert.ThrowsAsync<SpdyProtocolException>(async () =>
        {
            var reader = Reader(bytes);
            while (await reader.ReadAsync(default) is not null)
            {
            }
        });

        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    private static SpdyFrameReader Reader(byte[] bytes) => new(new MemoryStream(bytes));

    /// <summary>A stream that hands out one byte per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
