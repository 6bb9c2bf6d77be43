using System.Net;
using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Api;

namespace Maille.Lab.Tests.Api;

/// <summary>A lab's own authority: what it issues, what it accepts as a client, and where it keeps them.</summary>
public sealed class LabCredentialsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "maille-pki-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void TheAdminCertificate_IsAuthenticatedAsTheAdminUserInSystemMasters()
    {
        var credentials = LabCredentials.LoadOrCreate(_directory);

        var identity = credentials.Authenticate(X509Certificate2.CreateFromPem(credentials.AdminCertificatePem));

        Assert.NotNull(identity);
        Assert.Equal("maille-admin", identity.User);
        Assert.Equal(["system:masters"], identity.Groups);
    }

    [Fact]
    public void ANodesCertificate_IsIssuedOnce_AndAuthenticatedAsThatNodeInSystemNodes()
    {
        var credentials = LabCredentials.LoadOrCreate(_directory);

        var (certificate, key) = LabCredentials.ForNode(_directory, "node-1");
        var identity = credentials.Authenticate(X509Certificate2.CreateFromPem(certificate, key));

        Assert.NotNull(identity);
        Assert.Equal("system:node:node-1", identity.User);
        Assert.Equal(["system:nodes"], identity.Groups);
        Assert.Equal(certificate, LabCredentials.ForNode(_directory, "node-1").CertificatePem);   // kept, not issued again
        Assert.Equal(Maille.Lab.Labs.PrivateFiles.FileMode, File.GetUnixFileMode(Path.Combine(_directory, "node-node-1.key")));
        Assert.Throws<ArgumentException>(() => LabCredentials.ForNode(_directory, "../admin"));
        Assert.Throws<ArgumentException>(() => LabCredentials.ForNode(_directory, "Node_1"));
    }

    [Fact]
    public void AnotherLabsCertificate_TheServersOwn_AndNone_AreNotAuthenticated()
    {
        var credentials = LabCredentials.LoadOrCreate(_directory);
        var other = LabCredentials.LoadOrCreate(_directory + "-other");
        try
        {
            Assert.Null(credentials.Authenticate(X509Certificate2.CreateFromPem(other.AdminCertificatePem)));   // same names, another authority
            Assert.Null(credentials.Authenticate(credentials.Server));                                          // issued for servers, not clients
            Assert.Null(credentials.Authenticate(null));
        }
        finally
        {
            Directory.Delete(_directory + "-other", recursive: true);
        }
    }

    [Fact]
    public void TheServerCertificate_Names127001AndLocalhost_AndChainsToTheLabsAuthority()
    {
        var credentials = LabCredentials.LoadOrCreate(_directory);

        var names = credentials.Server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal([IPAddress.Loopback], names.EnumerateIPAddresses());
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.True(credentials.Server.HasPrivateKey);
        Assert.True(LabCredentials.ChainsTo(credentials.Authority, credentials.Server, new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")));   // for server authentication
        Assert.False(LabCredentials.ChainsTo(credentials.Authority, credentials.Server, new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")));  // not for clients
    }

    [Fact]
    public void TheKeysAreOnlyTheOwners_AndARestartReadsTheSameCredentials()
    {
        var first = LabCredentials.LoadOrCreate(_directory);

        var again = LabCredentials.LoadOrCreate(_directory);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.All(Directory.GetFiles(_directory), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(["admin.crt", "admin.key", "ca.crt", "ca.key", "server.crt", "server.key"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(first.Authority.Thumbprint, again.Authority.Thumbprint);
        Assert.Equal(first.Server.Thumbprint, again.Server.Thumbprint);
        Assert.Equal(first.AdminCertificatePem, again.AdminCertificatePem);
    }

    [Fact]
    public void AClientReadsWhatTheDaemonMade_AndNeverMakesItsOwn()
    {
        var made = LabCredentials.LoadOrCreate(_directory);
        File.Delete(Path.Combine(_directory, "admin.key"));

        var error = Assert.Throws<InvalidOperationException>(() => LabCredentials.Load(_directory));

        Assert.Contains("admin.key is missing", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "admin.key")));
        Assert.Equal(made.Authority.Thumbprint, LabCredentials.LoadOrCreate(_directory).Authority.Thumbprint);   // the daemon remakes only the missing one
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
