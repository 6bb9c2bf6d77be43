using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// A lab's mesh certificate authority (istiod's CA role), separate from the API's: <c>mesh-ca.crt</c> and
/// <c>mesh-ca.key</c> in the lab's <c>pki/</c> folder (0700, files 0600), so a restarted daemon keeps trusting the
/// certificates it issued. It signs short-lived workload certificates whose only name is the URI SAN
/// <c>spiffe://cluster.local/ns/NS/sa/SA</c> (subject empty, the SAN critical, as SPIFFE's X.509-SVID says), for both
/// client and server authentication: a node proxy presents the source workload's when it opens HBONE and the
/// destination workload's when it serves it. Workload keys stay in memory; none is written.
/// </summary>
internal sealed class MeshCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _authority;
    private readonly TimeProvider _time;

    private MeshCertificateAuthority(X509Certificate2 authority, TimeProvider time)
    {
        _authority = authority;
        _time = time;
        Certificate = X509CertificateLoader.LoadCertificate(authority.RawData);
    }

    /// <summary>The authority's certificate without its key: the only root a node proxy trusts.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The time on the authority's clock: the one its certificates are issued and proved on.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>An authority that lives in memory only (tests, and labs that never restart).</summary>
    public static MeshCertificateAuthority CreateEphemeral(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new(CertificateMaker.CreateAuthority("CN=maille-mesh-ca, O=cluster.local", now.AddHours(-1), now.AddYears(10)), time);
    }

    /// <summary>Reads the lab's mesh authority from <paramref name="directory"/>, making it the first time.</summary>
    public static MeshCertificateAuthority LoadOrCreate(string directory, TimeProvider time)
    {
        PrivateFiles.CreateDirectory(directory);
        var certificate = Path.Combine(directory, "mesh-ca.crt");
        var key = Path.Combine(directory, "mesh-ca.key");
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            using var made = CreateEphemeral(time);
            using var madeKey = made._authority.GetECDsaPrivateKey()!;
            PrivateFiles.Write(key, madeKey.ExportPkcs8PrivateKeyPem());
            PrivateFiles.Write(certificate, made._authority.ExportCertificatePem());
        }

        return new(X509Certificate2.CreateFromPem(File.ReadAllText(certificate), File.ReadAllText(key)), time);
    }

    /// <summary>
    /// A new certificate and key for <paramref name="identity"/>, valid from a minute ago (clocks of the lab's
    /// processes are one, but a minute costs nothing) for at least <paramref name="lifetime"/>: its end is rounded up
    /// to the second, as X.509 times have no fraction and a truncated end would come up to a second early.
    /// </summary>
    public X509Certificate2 Issue(WorkloadIdentity identity, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow();
        return CertificateMaker.Issue(
            _authority,
            "",
            [CertificateMaker.ServerAuthentication, CertificateMaker.ClientAuthentication],
            san => san.AddUri(new Uri(identity.SpiffeId)),
            now.AddMinutes(-1),
            RoundedUpToSecond(now + lifetime),
            criticalAlternativeNames: true);
    }

    private static DateTimeOffset RoundedUpToSecond(DateTimeOffset time)
    {
        var fraction = time.Ticks % TimeSpan.TicksPerSecond;
        return fraction == 0 ? time : time.AddTicks(TimeSpan.TicksPerSecond - fraction);
    }

    /// <summary>
    /// The workload a peer's certificate proves: it chains to this authority alone, is in its validity period, and
    /// names exactly one URI, a SPIFFE ID of this trust domain, and is meant for <paramref name="usage"/> (client
    /// authentication for the HBONE server, server authentication for its client). Null for anything else.
    /// </summary>
    public WorkloadIdentity? Authenticate(X509Certificate2? peer, Oid usage)
    {
        if (peer is null || !LabCredentials.ChainsTo(Certificate, peer, usage, _time.GetUtcNow()))
        {
            return null;
        }

        var uris = UrisOf(peer);
        return uris.Count == 1 ? WorkloadIdentity.TryParse(uris[0]) : null;
    }

    /// <summary>The URIs in a certificate's subject alternative names (tag [6], uniformResourceIdentifier).</summary>
    public static IReadOnlyList<string> UrisOf(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (reader.HasData)
            {
                if (reader.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(reader.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    reader.ReadEncodedValue();
                }
            }
        }

        return uris;
    }

    public void Dispose()
    {
        _authority.Dispose();
        Certificate.Dispose();
    }
}
