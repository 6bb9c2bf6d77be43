using ICSharpCode.SharpZipLib.Checksum;
using Maille.Lab.Api.Spdy;

namespace Maille.Lab.Tests.Api.Spdy;

/// <summary>SPDY/3.1's header blocks (§2.6.10): the plain layout, the fixed zlib dictionary, and the compressed stream
/// each direction keeps for a whole session.</summary>
public sealed class SpdyHeaderBlockTests
{
    [Fact]
    public void TheDictionary_IsTheSpecs_1423_BytesWithItsAdler32Id()
    {
        var adler = new Adler32();
        adler.Update(new ArraySegment<byte>(SpdyHeaderBlock.Dictionary.ToArray()));

        Assert.Equal(1423, SpdyHeaderBlock.Dictionary.Length);
        Assert.Equal(0xE3C6A7C2, adler.Value);
        Assert.Equal([0, 0, 0, 7, .. "options"u8], SpdyHeaderBlock.Dictionary.Span[..11].ToArray());
        Assert.EndsWith(",*,enq=0.", System.Text.Encoding.ASCII.GetString(SpdyHeaderBlock.Dictionary.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void APlainBlock_IsACountThenLengthPrefixedNamesAndValues_BigEndian()
    {
        byte[] expected = [0, 0, 0, 2, 0, 0, 0, 4, .. "port"u8, 0, 0, 0, 2, .. "80"u8, 0, 0, 0, 10, .. "streamtype"u8, 0, 0, 0, 4, .. "data"u8];

        var block = SpdyHeaderBlock.Encode([new("port", "80"), new("streamtype", "data")]);

        Assert.Equal(expected, block);
        Assert.Equal([new("port", "80"), new("streamtype", "data")], SpdyHeaderBlock.Decode(block));
    }

    public static TheoryData<string, byte[]> MalformedBlocks => new()
    {
        { "count larger than the block can hold", [0, 0, 1, 0, 0, 0, 0, 1, (byte)'a'] },
        { "name longer than the rest", [0, 0, 0, 1, 0, 0, 0, 9, (byte)'a', 0, 0, 0, 0] },
        { "uppercase name", [0, 0, 0, 1, 0, 0, 0, 1, (byte)'A', 0, 0, 0, 0] },
        { "empty name", [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "a name twice", [0, 0, 0, 2, 0, 0, 0, 1, (byte)'a', 0, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 0, 0] },
        { "bytes after the last header", [0, 0, 0, 0, 1] },
        { "cut inside the count", [0, 0] },
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public void AMalformedPlainBlock_IsAProtocolError(string why, byte[] block)
    {
        var error = Assert.Throws<SpdyProtocolException>(() => SpdyHeaderBlock.Decode(block));
        Assert.False(string.IsNullOrEmpty(error.Message), why);
    }

    [Fact]
    public void TheCompressor_WritesTheZlibHeaderWithTheDictionaryIdOnce_ThenStoredBlocksEachEndedByASyncFlush()
    {
        var compressor = new SpdyHeaderCompressor();

        var first = compressor.Compress([]);
        var second = compressor.Compress([]);

        // 78 F9: deflate, 32 KiB window, FDICT; E3C6A7C2: the dictionary's Adler-32. Then a stored block of the
        // 4-byte empty header block (LEN 4, NLEN ~4) and an empty stored block (00 00 FF FF): zlib's sync flush.
        Assert.Equal([0x78, 0xF9, 0xE3, 0xC6, 0xA7, 0xC2, 0x00, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xFF, 0xFF], first);
        Assert.Equal([0x00, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xFF, 0xFF], second);
    }

    [Fact]
    public void TheDecompressor_ReadsGosCompressedBlocks_WhoseSecondRefersToTheFirst()
    {
        // What kubectl's framer sends for its first two streams (zlib level 9 with the dictionary and a sync flush
        // after each block, as Go's compress/zlib writes it), cut from the SYN_STREAM frames in SpdyFrameReaderTests.
        var decompressor = new SpdyHeaderDecompressor();

        var first = decompressor.Decompress(SpdyFrames.KubectlErrorStream.AsMemory(18));
        var second = decompressor.Decompress(SpdyFrames.KubectlDataStream.AsMemory(18));

        Assert.Equal([new("port", "80"), new("requestid", "0"), new("streamtype", "error")], first);
        Assert.Equal([new("port", "80"), new("requestid", "0"), new("streamtype", "data")], second);
    }

    [Fact]
    public void WhatTheCompressorWrites_TheDecompressorReads_BlockAfterBlock()
    {
        var compressor = new SpdyHeaderCompressor();
        var decompressor = new SpdyHeaderDecompressor();
        KeyValuePair<string, string>[] headers = [new("port", "8080"), new("streamtype", "data"), new("requestid", "41")];

        Assert.Equal(headers, decompressor.Decompress(compressor.Compress(headers)));
        Assert.Equal(headers, decompressor.Decompress(compressor.Compress(headers)));
    }

    [Fact]
    public void GarbageOrAForeignDictionary_IsAProtocolError()
    {
        Assert.Throws<SpdyProtocolException>(() => new SpdyHeaderDecompressor().Decompress(new byte[] { 0x12, 0x34, 0x56, 0x78 }));

        // A zlib header naming a dictionary whose Adler-32 is not SPDY's.
        Assert.Throws<SpdyProtocolException>(() => new SpdyHeaderDecompressor().Decompress(new byte[] { 0x78, 0xF9, 0, 0, 0, 1, 0x02, 0x00 }));
    }
}
