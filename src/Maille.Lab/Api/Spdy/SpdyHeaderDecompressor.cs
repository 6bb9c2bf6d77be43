using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// Reads one sender's compressed header blocks (§2.6.10.1): one zlib stream for the whole session, primed with
/// <see cref="SpdyHeaderBlock.Dictionary"/> when the stream asks for it, each frame's bytes continuing it.
/// </summary>
internal sealed class SpdyHeaderDecompressor
{
    private readonly Inflater _inflater = new();
    private readonly byte[] _buffer = new byte[4096];

    /// <summary>The headers of one frame's compressed block; a block that does not inflate ends the session.</summary>
    public List<KeyValuePair<string, string>> Decompress(ReadOnlyMemory<byte> compressed)
    {
        using var plain = new MemoryStream();
        try
        {
            _inflater.SetInput(compressed.ToArray());
            while (true)
            {
                var read = _inflater.Inflate(_buffer);
                if (read > 0)
                {
                    plain.Write(_buffer, 0, read);
                    if (plain.Length > SpdyHeaderBlock.MaxLength)
                    {
                        throw new SpdyProtocolException($"a header block inflates to more than {SpdyHeaderBlock.MaxLength} bytes");
                    }
                }
                else if (_inflater.IsNeedingDictionary)
                {
                    // SharpZipLib checks the stream's dictionary id against this one's Adler-32.
                    _inflater.SetDictionary(SpdyHeaderBlock.Dictionary.ToArray());
                }
                else
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SharpZipBaseException or InvalidOperationException or IndexOutOfRangeException)
        {
            // SharpZipLib 1.4.2 throws IndexOutOfRangeException for some corrupt Huffman tables (found by fuzzing
            // PodPortForwardTests): the client's bytes are wrong, not the daemon.
            throw new SpdyProtocolException($"a header block does not inflate: {e.Message}", e);
        }

        if (_inflater.IsFinished)
        {
            throw new SpdyProtocolException("a header block ended its zlib stream, which must go on for the whole session");
        }

        return SpdyHeaderBlock.Decode(plain.GetBuffer().AsSpan(0, (int)plain.Length));
    }
}
