using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Api;
using Maille.Lab.Mesh;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Mesh;

/// <summary>The lab's mesh authority: what a workload certificate says, and which peers it proves.</summary>
public sealed class MeshCertificateAuthorityTests : IDisposable
{
    private static readonly WorkloadIdentity Curl = new("ambient-demo", "curl");

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"maille-mesh-ca-{Guid.NewGuid():N}");

    [Fact]
    public void A_workload_certificate_names_only_its_spiffe_id_as_a_critical_uri_san_for_client_and_server_use()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);

        using var certificate = authority.Issue(Curl, TimeSpan.FromHours(1));

        Assert.Equal(["spiffe://cluster.local/ns/ambient-demo/sa/curl"], MeshCertificateAuthority.UrisOf(certificate));
        Assert.True(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Critical);
        Assert.Empty(certificate.SubjectName.Name);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(
            [CertificateMaker.ServerAuthentication.Value, CertificateMaker.ClientAuthentication.Value],
            certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(authority.Certificate.SubjectName.Name, certificate.IssuerName.Name);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(24 * 3600)]
    public void A_workload_certificate_lives_exactly_its_lifetime_from_a_minute_before_it_was_issued(int seconds)
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);

        using var certificate = authority.Issue(Curl, TimeSpan.FromSeconds(seconds));

        Assert.Equal(_time.GetUtcNow().AddMinutes(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime());
        Assert.Equal(_time.GetUtcNow().AddSeconds(seconds).UtcDateTime, certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void The_authority_proves_the_identity_of_the_certificates_it_issued_and_of_no_others()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);
        using var other = MeshCertificateAuthority.CreateEphemeral(_time);
        using var ours = authority.Issue(Curl, TimeSpan.FromHours(1));
        using var theirs = other.Issue(Curl, TimeSpan.FromHours(1));

        Assert.Equal(Curl, authority.Authenticate(ours, CertificateMaker.ClientAuthentication));
        Assert.Equal(Curl, authority.Authenticate(ours, CertificateMaker.ServerAuthentication));
        Assert.Null(authority.Authenticate(theirs, CertificateMaker.ClientAuthentication));
        Assert.Null(authority.Authenticate(null, CertificateMaker.ClientAuthentication));
    }

    [Fact]
    public void An_expired_workload_certificate_proves_nothing()
    {
        using var authority = MeshCertificateAuthority.CreateEphemeral(_time);
        using var certificate = authority.Issue(Curl, TimeSpan.FromMinutes(30));

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(Curl, authority.Authenticate(certificate, CertificateMaker.ClientAuthentication));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(authority.Authenticate(certificate, CertificateMaker.ClientAuthentication));
    }

    [Fact]
    public void The_lab_authority_is_kept_in_private_files_and_read_back_the_same()
    {
        using (var first = MeshCertificateAuthority.LoadOrCreate(_directory, _time))
        using (var again = MeshCertificateAuthority.LoadOrCreate(_directory, _time))
        {
            Assert.Equal(first.Certificate.Thumbprint, again.Certificate.Thumbprint);
            using var issued = again.Issue(Curl, TimeSpan.FromHours(1));
            Assert.Equal(Curl, first.Authenticate(issued, CertificateMaker.ClientAuthentication));
        }

        Assert.Equal(["mesh-ca.crt", "mesh-ca.key"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(_directory), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/shop/sa/web", "shop", "web")]
    [InlineData("spiffe://cluster.local/ns/a.b/sa/x-1", "a.b", "x-1")]
    [InlineData("spiffe://other.domain/ns/shop/sa/web", null, null)]
    [InlineData("spiffe://cluster.local/ns/shop/sa/web/extra", null, null)]
    [InlineData("spiffe://cluster.local/ns//sa/web", null, null)]
    [InlineData("spiffe://cluster.local/ns/shop/serviceaccount/web", null, null)]
    [InlineData("spiffe://cluster.local/ns/Shop/sa/web?x=1", null, null)]
    [InlineData("https://cluster.local/ns/shop/sa/web", null, null)]
    public void A_spiffe_id_is_read_only_in_this_trust_domain_and_shape(string text, string? ns, string? serviceAccount) =>
        Assert.Equal(ns is null ? null : new WorkloadIdentity(ns, serviceAccount!), WorkloadIdentity.TryParse(text));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
