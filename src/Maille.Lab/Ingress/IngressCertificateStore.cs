using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Lab.Ingresses;

/// <summary>
/// The certificates the proxy presents: one <see cref="SslStreamCertificateContext"/> per usable TLS Secret of the
/// routing table and of the Gateways' HTTPS listeners (chain included, built offline: intermediates come from <c>tls.crt</c>, never fetched), and the
/// default certificate for every other server name. A Secret whose content did not change keeps its context across
/// updates. The default certificate is self-signed, made when the proxy starts, and names
/// <see cref="DefaultCertificateName"/>: a client sees at once that no certificate of its own was found.
/// </summary>
internal sealed class IngressCertificateStore
{
    public const string DefaultCertificateName = "Maille Ingress Controller Default Certificate";

    private readonly Dictionary<string, (Secret Secret, SslStreamCertificateContext Context)> _bySecret = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IngressCertificateStore(TimeProvider timeProvider)
    {
        Default = SslStreamCertificateContext.Create(CreateDefault(timeProvider.GetUtcNow()), additionalCertificates: null, offline: true);
    }

    /// <summary>The self-signed certificate for names without a usable <c>spec.tls</c> entry.</summary>
    public SslStreamCertificateContext Default { get; }

    /// <summary>
    /// The contexts of <paramref name="secrets"/> (the usable Secrets of the Ingresses' <c>spec.tls</c> and of the
    /// Gateways' HTTPS listeners), by <c>namespace/name</c>. A Secret whose certificate cannot be read gets none: its
    /// names get the default certificate (the Ingress router has reported it; a Gateway's listener is logged).
    /// </summary>
    public FrozenDictionary<string, SslStreamCertificateContext> ContextsFor(IEnumerable<Secret> secrets)
    {
        lock (_gate)
        {
            var contexts = new Dictionary<string, SslStreamCertificateContext>(StringComparer.Ordinal);
            foreach (var secret in secrets)
            {
                var name = secret.Meta.QualifiedName;
                if (contexts.ContainsKey(name))
                {
                    continue;
                }

                if (_bySecret.TryGetValue(name, out var known) && SameContent(known.Secret, secret))
                {
                    contexts[name] = known.Context;
                    continue;
                }

                if (TlsSecretMaterial.TryRead(secret, out _) is not { } chain)
                {
                    continue;
                }

                var context = SslStreamCertificateContext.Create(chain[0], [.. chain.Skip(1)], offline: true);
                _bySecret[name] = (secret, context);
                contexts[name] = context;
            }

            foreach (var gone in _bySecret.Keys.Where(k => !contexts.ContainsKey(k)).ToList())
            {
                _bySecret.Remove(gone); // handshakes under way keep their context; the collector takes it after
            }

            return contexts.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private static bool SameContent(Secret a, Secret b) =>
        a.Type == b.Type && a.Data.Count == b.Data.Count
        && a.Data.All(pair => b.Data.TryGetValue(pair.Key, out var other) && pair.Value.AsSpan().SequenceEqual(other));

    private static X509Certificate2 CreateDefault(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={DefaultCertificateName}, O=Maille", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("maille-ingress.invalid");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }
}
