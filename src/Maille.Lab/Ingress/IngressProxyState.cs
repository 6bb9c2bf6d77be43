using System.Collections.Frozen;
using System.Net.Security;
using Maille.Engine.Ingresses;

namespace Maille.Lab.Ingresses;

/// <summary>
/// What the proxy answers with for one cluster state: the compiled routing table and the certificate of each usable
/// TLS Secret. Swapped whole on update; a request or handshake keeps the snapshot it started with.
/// </summary>
internal sealed class IngressProxyState(IngressRouteTable table, FrozenDictionary<string, SslStreamCertificateContext> certificates, SslStreamCertificateContext defaultCertificate)
{
    public IngressRouteTable Table { get; } = table;

    /// <summary>The certificate for a TLS server name: its <c>spec.tls</c> Secret when usable, else the default.</summary>
    public SslStreamCertificateContext CertificateFor(string? serverName) =>
        serverName is not null && Table.Tls.ForServerName(serverName) is { IsUsable: true } entry
            && certificates.TryGetValue(entry.SecretQualifiedName!, out var context)
            ? context
            : defaultCertificate;
}
