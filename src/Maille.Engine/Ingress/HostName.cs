namespace Maille.Engine.Ingresses;

/// <summary>Turns a Host header or a TLS server name into the form Ingress hosts are written in.</summary>
internal static class HostName
{
    /// <summary>
    /// The host without port (<c>shop.example:8080</c>, <c>[::1]:80</c>) or trailing dot, lower-cased (DNS names
    /// compare without case; Ingress hosts are lower-case by validation). Uses <paramref name="buffer"/> only when the
    /// host has upper-case letters; a host longer than the buffer is returned as it is.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> host, Span<char> buffer)
    {
        if (host.StartsWith("["))
        {
            var close = host.IndexOf(']');
            host = close > 0 ? host[..(close + 1)] : host;
        }
        else if (host.LastIndexOf(':') is var colon and >= 0)
        {
            host = host[..colon];
        }

        if (host.EndsWith("."))
        {
            host = host[..^1];
        }

        if (!host.ContainsAnyInRange('A', 'Z') || host.Length > buffer.Length)
        {
            return host;
        }

        var length = host.ToLowerInvariant(buffer);
        return buffer[..length];
    }

    /// <summary>The same as a string, for names that are kept.</summary>
    public static string Normalize(string host)
    {
        Span<char> buffer = stackalloc char[256];
        return Normalize(host.AsSpan(), buffer).ToString();
    }
}
