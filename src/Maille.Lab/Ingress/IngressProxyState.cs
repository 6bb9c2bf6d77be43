using System.Collections.Frozen;
using System.Net.Security;
using Maille.Engine.Ingresses;
using Maille.Lab.Gateways;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>
/// What the proxy answers with for one cluster state: the compiled Ingress routing table, the Gateways' routing
/// (<see cref="GatewayProxyState"/>) and the certificate of each usable TLS Secret of either. Swapped whole on
/// update; a request or handshake keeps the snapshot it started with.
/// </summary>
internal sealed class IngressProxyState(IngressRouteTable table, GatewayProxyState gateways, FrozenDictionary<string, SslStreamCertificateContext> certificates, SslStreamCertificateContext defaultCertificate)
{
    public IngressRouteTable Table { get; } = table;

    public GatewayProxyState Gateways { get; } = gateways;

    /// <summary>The certificate for a TLS server name: its <c>spec.tls</c> Secret when usable, else the default.</summary>
    public SslStreamCertificateContext CertificateFor(string? serverName) =>
        serverName is not null && Table.Tls.ForServerName(serverName) is { IsUsable: true } entry
            && certificates.TryGetValue(entry.SecretQualifiedName!, out var context)
            ? context
            : defaultCertificate;

    /// <summary>The certificate a Gateway's HTTPS listener presents on a proxy pod's port for a server name, else the default.</summary>
    public SslStreamCertificateContext GatewayCertificateFor(PodPort? port, string? serverName) =>
        port is { } accepted && Gateways.CertificateSecretFor(accepted, serverName) is { } secret && certificates.TryGetValue(secret, out var context)
            ? context
            : defaultCertificate;
}
