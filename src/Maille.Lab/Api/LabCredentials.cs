using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Labs;

namespace Maille.Lab.Api;

/// <summary>
/// A lab's own certificate authority and the certificates its API uses, kept in the lab's <c>pki/</c> folder (0700,
/// files 0600) so that a restarted daemon serves with the same ones and kubeconfigs stay valid:
/// <list type="bullet">
/// <item><c>ca.crt</c>, <c>ca.key</c>: the authority (ECDSA P-256), which signs the others;</item>
/// <item><c>server.crt</c>, <c>server.key</c>: the HTTPS listener's, for <c>127.0.0.1</c> and <c>localhost</c>;</item>
/// <item><c>admin.crt</c>, <c>admin.key</c>: the user's client certificate, <c>CN=maille-admin, O=system:masters</c>
/// (the API server's convention: the common name is the user, each organization a group);</item>
/// <item><c>node-NAME.crt</c>, <c>node-NAME.key</c>: a node agent's, <c>CN=system:node:NAME, O=system:nodes</c>,
/// issued when first asked for (<see cref="ForNode"/>), with the node role of <see cref="LabAuthorizer"/>.</item>
/// </list>
/// Made with .NET's <see cref="CertificateRequest"/>; nothing leaves the machine.
/// </summary>
public sealed class LabCredentials
{
    public const string AdminUser = "maille-admin";
    public const string AdminGroup = "system:masters";

    private static readonly Oid ServerAuthentication = CertificateMaker.ServerAuthentication;
    private static readonly Oid ClientAuthentication = CertificateMaker.ClientAuthentication;

    private LabCredentials(string authorityPem, string serverPem, string serverKeyPem, string adminPem, string adminKeyPem)
    {
        AuthorityPem = authorityPem;
        Authority = X509Certificate2.CreateFromPem(authorityPem);
        Server = X509Certificate2.CreateFromPem(serverPem, serverKeyPem);
        AdminCertificatePem = adminPem;
        AdminKeyPem = adminKeyPem;
    }

    public string AuthorityPem { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The listener's certificate, with its key.</summary>
    public X509Certificate2 Server { get; }

    public string AdminCertificatePem { get; }

    public string AdminKeyPem { get; }

    /// <summary>Reads the lab's credentials, making any that are missing (all of them, the first time).</summary>
    public static LabCredentials LoadOrCreate(string directory)
    {
        PrivateFiles.CreateDirectory(directory);
        string Path(string name) => System.IO.Path.Combine(directory, name);
        if (!File.Exists(Path("ca.crt")) || !File.Exists(Path("ca.key")))
        {
            using var authority = CertificateMaker.CreateAuthority("CN=maille-lab-ca", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(10));
            using (var key = authority.GetECDsaPrivateKey()!)
            {
                PrivateFiles.Write(Path("ca.key"), key.ExportPkcs8PrivateKeyPem());
            }

            PrivateFiles.Write(Path("ca.crt"), authority.ExportCertificatePem());
            File.Delete(Path("server.crt"));
            File.Delete(Path("admin.crt"));
            foreach (var stale in Directory.EnumerateFiles(directory, "node-*.crt"))
            {
                File.Delete(stale);
            }
        }

        if (!File.Exists(Path("server.crt")) || !File.Exists(Path("server.key")))
        {
            Issue(directory, "server", "CN=maille-api", ServerAuthentication, san =>
            {
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
            });
        }

        if (!File.Exists(Path("admin.crt")) || !File.Exists(Path("admin.key")))
        {
            Issue(directory, "admin", $"CN={AdminUser}, O={AdminGroup}", ClientAuthentication, null);
        }

        return Load(directory);
    }

    /// <summary>
    /// A node agent's client certificate and key (PEM), issued by the lab's authority the first time they are asked for
    /// and kept beside the others.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is not a node name (a DNS subdomain).</exception>
    public static (string CertificatePem, string KeyPem) ForNode(string directory, string node)
    {
        // The name becomes part of a file name and of the certificate's subject: nothing but a node name gets there.
        if (!System.Text.RegularExpressions.Regex.IsMatch(node, "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$") || node.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{node}\" is not a node name (lower-case letters, digits, '-' and '.')", nameof(node));
        }

        var name = $"node-{node}";
        string Path(string extension) => System.IO.Path.Combine(directory, $"{name}.{extension}");
        if (!File.Exists(Path("crt")) || !File.Exists(Path("key")))
        {
            Issue(directory, name, $"CN={LabAuthorizer.NodeUserPrefix}{node}, O={LabAuthorizer.NodesGroup}", ClientAuthentication, null);
        }

        return (File.ReadAllText(Path("crt")), File.ReadAllText(Path("key")));
    }

    /// <summary>
    /// Reads the credentials a lab's daemon made (for a client such as <c>maille kubeconfig</c>, which must never make
    /// new ones that the running server would not know).
    /// </summary>
    /// <exception cref="InvalidOperationException">Some are missing.</exception>
    public static LabCredentials Load(string directory)
    {
        string[] names = ["ca.crt", "server.crt", "server.key", "admin.crt", "admin.key"];
        if (names.FirstOrDefault(n => !File.Exists(System.IO.Path.Combine(directory, n))) is { } missing)
        {
            throw new InvalidOperationException($"{System.IO.Path.Combine(directory, missing)} is missing: the lab's daemon makes its credentials when it starts");
        }

        string Read(string name) => File.ReadAllText(System.IO.Path.Combine(directory, name));
        return new LabCredentials(Read("ca.crt"), Read("server.crt"), Read("server.key"), Read("admin.crt"), Read("admin.key"));
    }

    /// <summary>
    /// The user a client certificate names when this lab's authority issued it for client authentication and it is
    /// in its validity period; null otherwise.
    /// </summary>
    public LabIdentity? Authenticate(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return null;
        }

        if (!ChainsTo(Authority, certificate, ClientAuthentication))
        {
            return null;
        }

        var name = certificate.SubjectName;
        var user = name.EnumerateRelativeDistinguishedNames().Where(r => r.GetSingleElementType().Value == "2.5.4.3").Select(r => r.GetSingleElementValue()).FirstOrDefault();
        var groups = name.EnumerateRelativeDistinguishedNames().Where(r => r.GetSingleElementType().Value == "2.5.4.10").Select(r => r.GetSingleElementValue()).OfType<string>().ToList();
        return string.IsNullOrEmpty(user) ? null : new LabIdentity(user, groups);
    }

    /// <summary>
    /// Whether <paramref name="authority"/> (trusted as the only root, nothing revoked) issued
    /// <paramref name="certificate"/>, in its validity period (at <paramref name="at"/>, else now) and, given
    /// <paramref name="usage"/>, for that use.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 authority, X509Certificate2 certificate, Oid? usage = null, DateTimeOffset? at = null)
    {
        using var chain = new X509Chain();
        if (at is { } time)
        {
            chain.ChainPolicy.VerificationTime = time.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (usage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }

        return chain.Build(certificate);
    }

    private static void Issue(string directory, string name, string subject, Oid usage, Action<SubjectAlternativeNameBuilder>? alternativeNames)
    {
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "ca.crt")), File.ReadAllText(Path.Combine(directory, "ca.key")));
        using var issued = CertificateMaker.Issue(authority, subject, [usage], alternativeNames, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = issued.GetECDsaPrivateKey()!;
        PrivateFiles.Write(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        PrivateFiles.Write(Path.Combine(directory, name + ".crt"), issued.ExportCertificatePem());
    }
}
