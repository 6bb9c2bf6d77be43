using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Maille.TestKit;

/// <summary>Self-signed certificates made in the test, and the <c>kubernetes.io/tls</c> Secrets that carry them.</summary>
internal static class TestCertificates
{
    /// <summary>A self-signed ECDSA P-256 certificate for <paramref name="dnsNames"/> (the first is the subject CN), as PEM.</summary>
    public static (string CertificatePem, string KeyPem) Create(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A YAML document (with its leading <c>---</c>) of a TLS Secret holding a new certificate for <paramref name="dnsNames"/>.</summary>
    public static string SecretYaml(string ns, string name, params string[] dnsNames)
    {
        var (crt, key) = Create(dnsNames);
        return SecretYaml(ns, name, crt, key);
    }

    public static string SecretYaml(string ns, string name, string crtPem, string keyPem, string type = "kubernetes.io/tls") => $"""
        ---
        apiVersion: v1
        kind: Secret
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        type: {type}
        data:
          tls.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(crtPem))}
          tls.key: {Convert.ToBase64String(Encoding.UTF8.GetBytes(keyPem))}

        """;
}
