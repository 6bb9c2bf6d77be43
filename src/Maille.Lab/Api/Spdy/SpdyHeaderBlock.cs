using System.Buffers.Binary;
using System.Text;

namespace Maille.Lab.Api.Spdy;

/// <summary>
/// The plain form of a SPDY/3.1 header block (§2.6.10): a 32-bit count, then each name and value with a 32-bit length
/// before it (big-endian); a value holding several values separates them with NUL. On the wire the block is
/// compressed (<see cref="SpdyHeaderCompressor"/>, <see cref="SpdyHeaderDecompressor"/>) with zlib and the fixed
/// <see cref="Dictionary"/>.
/// </summary>
internal static class SpdyHeaderBlock
{
    /// <summary>The largest plain header block a session accepts: kubectl's are under 100 bytes.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly string[] DictionaryWords =
    [
        "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding",
        "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection",
        "content-base", "content-encoding", "content-language", "content-length", "content-location", "content-md5",
        "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match",
        "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after",
        "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
        "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie",
        "keep-alive", "origin",
    ];

    private const string DictionaryTail =
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Au"
        + "thoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidd"
        + "en404 Not Found500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr Ma"
        + "y Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,imag"
        + "e/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,publicpri"
        + "vatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

    /// <summary>
    /// The zlib dictionary of §2.6.10.1, 1,423 bytes: each word with its 32-bit length before it, then the status lines,
    /// dates and media types as one text. Its Adler-32 (the id a zlib stream names it by) is <c>0xE3C6A7C2</c>.
    /// </summary>
    public static ReadOnlyMemory<byte> Dictionary { get; } = BuildDictionary();

    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var size = 4 + headers.Sum(h => 8 + Encoding.UTF8.GetByteCount(h.Key) + Encoding.UTF8.GetByteCount(h.Value));
        var block = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(block, (uint)headers.Count);
        var at = 4;
        foreach (var (name, value) in headers)
        {
            at = WriteString(block, at, name);
            at = WriteString(block, at, value);
        }

        return block;
    }

    /// <summary>Reads a plain header block; names must be lowercase, non-empty and unique, as the spec requires.</summary>
    public static List<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> block)
    {
        var count = ReadLength(ref block, "header count");
        if (count > block.Length / 8)
        {
            throw new SpdyProtocolException($"a header block of {block.Length + 4} bytes cannot hold {count} headers");
        }

        var headers = new List<KeyValuePair<string, string>>((int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref block, "header name");
            var value = ReadString(ref block, "header value");
            if (name.Length == 0 || name.Any(char.IsUpper))
            {
                throw new SpdyProtocolException($"header name \"{name}\" is empty or not lowercase");
            }

            if (headers.Exists(h => h.Key == name))
            {
                throw new SpdyProtocolException($"header \"{name}\" appears twice");
            }

            headers.Add(new(name, value));
        }

        return block.IsEmpty ? headers : throw new SpdyProtocolException($"{block.Length} bytes after the last header");
    }

    private static int WriteString(byte[] block, int at, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, block.AsSpan(at + 4));
        BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(at), (uint)length);
        return at + 4 + length;
    }

    private static uint ReadLength(ref ReadOnlySpan<byte> block, string what)
    {
        if (block.Length < 4)
        {
            throw new SpdyProtocolException($"the header block ends inside a {what}");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(block);
        block = block[4..];
        return length;
    }

    private static string ReadString(ref ReadOnlySpan<byte> block, string what)
    {
        var length = ReadLength(ref block, what);
        if (length > block.Length)
        {
            throw new SpdyProtocolException($"a {what} of {length} bytes is longer than the rest of its block");
        }

        var text = Encoding.UTF8.GetString(block[..(int)length]);
        block = block[(int)length..];
        return text;
    }

    private static byte[] BuildDictionary()
    {
        var dictionary = new List<byte>(1423);
        foreach (var word in DictionaryWords)
        {
            dictionary.AddRange([0, 0, 0, (byte)word.Length]);
            dictionary.AddRange(Encoding.ASCII.GetBytes(word));
        }

        dictionary.AddRange(Encoding.ASCII.GetBytes(DictionaryTail));
        return [.. dictionary];
    }
}
