namespace Maille.Engine.Gateways;

/// <summary>
/// A request as a Gateway's proxy sees it. <see cref="Host"/> is the Host header or :authority (a port and trailing
/// dot are ignored, case does not matter); <see cref="Port"/> the port it arrived on; <see cref="Path"/> without query.
/// Header names compare without case.
/// </summary>
public sealed record GatewayRequest
{
    public string Scheme { get; init; } = "http";

    public required string Host { get; init; }

    public int Port { get; init; }

    public string Path { get; init; } = "/";

    /// <summary>The query string without <c>?</c>; empty when none.</summary>
    public string Query { get; init; } = "";

    public string Method { get; init; } = "GET";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The port the scheme implies when <see cref="Port"/> is 0.</summary>
    public int EffectivePort => Port != 0 ? Port : Scheme == "https" ? 443 : 80;

    /// <summary>A gRPC call: POST with a <c>content-type</c> of <c>application/grpc</c> (optionally <c>+proto</c> and so on).</summary>
    public bool IsGrpc => Method == "POST" && Header("content-type") is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first value of header <paramref name="name"/>, or null.</summary>
    public string? Header(string name)
    {
        // By index: a foreach over the interface would box its enumerator on every routed request.
        for (var i = 0; i < Headers.Count; i++)
        {
            var (key, value) = Headers[i];
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The first value of query parameter <paramref name="name"/> (names are case-sensitive), or null.</summary>
    public string? QueryParam(string name)
    {
        foreach (var part in Query.Split('&'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            if (Uri.UnescapeDataString(key) == name)
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(part[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }
}
