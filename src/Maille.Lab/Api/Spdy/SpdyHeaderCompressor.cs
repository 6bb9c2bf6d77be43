using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// Compresses one sender's header blocks (§2.6.10.1): one zlib stream per session and direction, primed with
/// <see cref="SpdyHeaderBlock.Dictionary"/>, each block flushed so the peer can read it whole from its frame.
/// </summary>
/// <remarks>
/// The blocks are stored, not compressed (level 0). The peer's reader (Go's, in kubectl) only hands a block's bytes
/// out when a deflate block ends on a byte boundary: zlib's sync flush, which SharpZipLib does not offer at other
/// levels (it ends a flush with empty static blocks that leave bits for the next frame, and Go's reader would then
/// fail on the next block). At level 0 a flush writes the stored data and an empty stored block, which is exactly a
/// sync flush. A port-forward's headers are three short strings per stream, so nothing is lost.
/// </remarks>
internal sealed class SpdyHeaderCompressor
{
    private readonly Deflater _deflater = new(Deflater.NO_COMPRESSION);
    private readonly byte[] _buffer = new byte[4096];

    public SpdyHeaderCompressor() => _deflater.SetDictionary(SpdyHeaderBlock.Dictionary.ToArray());

    /// <summary>The compressed form of <paramref name="headers"/>, continuing this sender's stream.</summary>
    public byte[] Compress(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _deflater.SetInput(SpdyHeaderBlock.Encode(headers));
        _deflater.Flush();
        using var output = new MemoryStream();
        int written;
        while ((written = _deflater.Deflate(_buffer)) > 0)
        {
            output.Write(_buffer, 0, written);
        }

        return output.ToArray();
    }
}
