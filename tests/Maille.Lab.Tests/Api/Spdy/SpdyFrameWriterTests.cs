using Maille.Lab.Api.Spdy;

namespace Maille.Lab.Tests.Api.Spdy;

/// <summary>The writer's bytes, compared whole with SPDY/3.1's layout (§2.2), and read back by the reader.</summary>
public sealed class SpdyFrameWriterTests
{
    [Fact]
    public async Task TheFramesASessionSends_AreLaidOutAsTheSpecSays()
    {
        var bytes = await Written(
            SpdyFrame.SynReply(1),
            SpdyFrame.DataFrame(3, "ok"u8.ToArray()),
            SpdyFrame.DataFrame(3, ReadOnlyMemory<byte>.Empty, fin: true),
            SpdyFrame.RstStream(5, SpdyFrame.RefusedStream),
            SpdyFrame.Ping(7),
            SpdyFrame.GoAway(7, SpdyFrame.GoAwayProtocolError));

        byte[] expected =
        [
            // SYN_REPLY stream 1, length 24: the stream id, then the compressed empty header block (zlib header with
            // the dictionary's id, a stored block of 4 bytes, the sync flush's empty stored block).
            0x80, 3, 0, 2, 0, 0, 0, 24, 0, 0, 0, 1,
            0x78, 0xF9, 0xE3, 0xC6, 0xA7, 0xC2, 0x00, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xFF, 0xFF,
            0, 0, 0, 3, 0, 0, 0, 2, (byte)'o', (byte)'k',         // DATA stream 3
            0, 0, 0, 3, 1, 0, 0, 0,                               // DATA stream 3, FLAG_FIN, empty
            0x80, 3, 0, 3, 0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 3,    // RST_STREAM stream 5, REFUSED_STREAM
            0x80, 3, 0, 6, 0, 0, 0, 4, 0, 0, 0, 7,                // PING 7
            0x80, 3, 0, 7, 0, 0, 0, 8, 0, 0, 0, 7, 0, 0, 0, 1,    // GOAWAY last 7, PROTOCOL_ERROR
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public async Task WhatTheWriterWrites_TheReaderReadsBack()
    {
        KeyValuePair<string, string>[] headers = [new("streamtype", "data"), new("port", "8080"), new("requestid", "12")];
        var bytes = await Written(SpdyFrame.SynStream(9, headers), SpdyFrame.SynStream(11, headers, fin: true), SpdyFrame.DataFrame(9, new byte[70_000]));

        var reader = new SpdyFrameReader(new MemoryStream(bytes));
        var first = await reader.ReadAsync(default);
        var second = await reader.ReadAsync(default);
        var data = await reader.ReadAsync(default);

        Assert.Equal((9u, false), (first!.StreamId, first.IsFin));
        Assert.Equal(headers, first.Headers);
        Assert.Equal((11u, true), (second!.StreamId, second.IsFin));
        Assert.Equal(headers, second.Headers);
        Assert.Equal(70_000, data!.Data.Length);
    }

    private static async Task<byte[]> Written(params SpdyFrame[] frames)
    {
        using var output = new MemoryStream();
        using var writer = new SpdyFrameWriter(output);
        foreach (var frame in frames)
        {
            await writer.WriteAsync(frame, default);
        }

        return output.ToArray();
    }
}
