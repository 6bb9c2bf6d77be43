namespace Maille.Model;

/// <summary>
/// One listener of a Gateway. <see cref="Protocol"/> keeps the text (HTTP, HTTPS, TLS, TCP, UDP or a domain-prefixed
/// custom one); <see cref="TlsMode"/> is null when <c>tls</c> is absent.
/// </summary>
public sealed record GatewayListener
{
    public required string Name { get; init; }

    public string? Hostname { get; init; }

    public int Port { get; init; }

    public string Protocol { get; init; } = "";

    public string? TlsMode { get; init; }

    public EquatableArray<GatewayObjectReference> CertificateRefs { get; init; } = EquatableArray<GatewayObjectReference>.Empty;

    public GatewayAllowedRoutes AllowedRoutes { get; init; } = GatewayAllowedRoutes.Default;
}
