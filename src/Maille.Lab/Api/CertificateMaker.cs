using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Maille.Lab.Api;

/// <summary>
/// Makes the lab's certificates with .NET's <see cref="CertificateRequest"/>, ECDSA P-256 keys: its authorities (the
/// API's in <see cref="LabCredentials"/>, the mesh's in <c>MeshCertificateAuthority</c>) and what they sign. Nothing
/// here touches a file: callers decide where, if anywhere, a key is kept.
/// </summary>
internal static class CertificateMaker
{
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A self-signed authority that may sign end certificates only (path length 0), with its key.</summary>
    public static X509Certificate2 CreateAuthority(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>
    /// An end certificate signed by <paramref name="authority"/> (which must carry its key), with a new key, for
    /// <paramref name="usages"/>, and the alternative names <paramref name="alternativeNames"/> adds (none when null).
    /// Its validity is cut to the authority's.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string subject, IReadOnlyList<Oid> usages, Action<SubjectAlternativeNameBuilder>? alternativeNames, DateTimeOffset notBefore, DateTimeOffset notAfter, bool criticalAlternativeNames = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var usageOids = new OidCollection();
        foreach (var usage in usages)
        {
            usageOids.Add(usage);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usageOids, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (alternativeNames is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            alternativeNames(san);
            request.CertificateExtensions.Add(san.Build(criticalAlternativeNames));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var from = notBefore > authority.NotBefore ? notBefore : new DateTimeOffset(authority.NotBefore);
        var until = notAfter < authority.NotAfter ? notAfter : new DateTimeOffset(authority.NotAfter);
        using var issued = request.Create(authority, from, until, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
