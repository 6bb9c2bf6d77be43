using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Reads the certificate chain and private key of a <c>kubernetes.io/tls</c> Secret: <c>tls.crt</c> holds PEM
/// certificates, the server's first and then its intermediates; <c>tls.key</c> the PEM private key of the first.
/// Used by the router to decide whether a Secret is usable and by the proxy to serve it, so the two never disagree.
/// Parsing only: validity dates are not judged (a server presents an expired certificate all the same).
/// </summary>
public static class TlsSecretMaterial
{
    public const string CertificateKey = "tls.crt";

    public const string PrivateKeyKey = "tls.key";

    /// <summary>
    /// The chain, its first certificate carrying the private key; null with <paramref name="problem"/> saying why when
    /// the Secret is not usable. The caller owns (and disposes) the certificates.
    /// </summary>
    public static X509Certificate2Collection? TryRead(Secret secret, out string? problem)
    {
        problem = null;
        if (secret.Type != Secret.TlsType)
        {
            problem = $"Secret {secret.Meta.QualifiedName} has type {secret.Type}, not {Secret.TlsType}";
            return null;
        }

        if (!secret.Data.TryGetValue(CertificateKey, out var crt) || !secret.Data.TryGetValue(PrivateKeyKey, out var key))
        {
            problem = $"Secret {secret.Meta.QualifiedName} lacks {CertificateKey} or {PrivateKeyKey}";
            return null;
        }

        var chain = new X509Certificate2Collection();
        try
        {
            var crtPem = Encoding.UTF8.GetString(crt);
            chain.ImportFromPem(crtPem);
            if (chain.Count == 0)
            {
                problem = $"Secret {secret.Meta.QualifiedName}: {CertificateKey} holds no PEM certificate";
                return null;
            }

            var leaf = X509Certificate2.CreateFromPem(crtPem, Encoding.UTF8.GetString(key));
            chain[0].Dispose();
            chain[0] = leaf;
            return chain;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }

            problem = $"Secret {secret.Meta.QualifiedName}: {CertificateKey}/{PrivateKeyKey} cannot be read ({e.Message.TrimEnd('.')})";
            return null;
        }
    }
}
