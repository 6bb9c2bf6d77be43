namespace Maille.Model;

/// <summary>The RequestRedirect filter: each part null keeps the request's; the status code defaults to 302.</summary>
public sealed record HttpRequestRedirect
{
    public string? Scheme { get; init; }

    public string? Hostname { get; init; }

    public HttpPathModifier? Path { get; init; }

    public int? Port { get; init; }

    public int StatusCode { get; init; } = 302;
}
