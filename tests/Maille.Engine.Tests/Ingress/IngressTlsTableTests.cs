using Maille.TestKit;
using static Maille.Engine.Tests.Ingress.IngressYaml;

namespace Maille.Engine.Tests.Ingress;

/// <summary>Certificates by server name from spec.tls, and what happens to a missing or unusable Secret.</summary>
public sealed class IngressTlsTableTests
{
    private static string Tls(string name, string secret, params string[] hosts) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: {{name}}, namespace: app}
        spec:
          tls: [{hosts: [{{string.Join(", ", hosts.Select(h => $"\"{h}\""))}}], secretName: {{secret}}}]
          rules:
          - host: "{{hosts[0]}}"
            http:
              paths:
              - pathType: Prefix
                path: /
                backend: {service: {name: web, port: {number: 80} } }

        """;

    [Fact]
    public void A_server_name_gets_the_certificate_of_its_exact_host_then_of_its_wildcard_host()
    {
        var table = Table(Tls("shop", "shop-tls", "shop.example") + TestCertificates.SecretYaml("app", "shop-tls", "shop.example")
            + Tls("wild", "wild-tls", "*.shop.example") + TestCertificates.SecretYaml("app", "wild-tls", "*.shop.example"));
        Assert.Equal("app/shop-tls", table.Tls.ForServerName("shop.example")!.SecretQualifiedName);
        Assert.Equal("app/wild-tls", table.Tls.ForServerName("api.shop.example")!.SecretQualifiedName);
        Assert.Equal("app/shop-tls", table.Tls.ForServerName("SHOP.example")!.SecretQualifiedName);
        Assert.Null(table.Tls.ForServerName("a.b.shop.example"));
        Assert.Null(table.Tls.ForServerName("other.example"));
        Assert.Null(table.Tls.ForServerName(""));
        Assert.All(table.Tls.Entries, e => Assert.True(e.IsUsable));
        Assert.Empty(table.Problems);
    }

    [Fact]
    public void A_missing_Secret_is_reported_and_its_hosts_get_the_default_certificate()
    {
        var table = Table(Tls("shop", "absent", "shop.example"));
        var entry = table.Tls.ForServerName("shop.example")!;
        Assert.False(entry.IsUsable);
        Assert.Equal("no Secret app/absent", entry.Problem);
        Assert.Contains(table.Problems, p => p.Message == "spec.tls[0]: no Secret app/absent; its hosts get the default certificate");
    }

    [Fact]
    public void A_Secret_of_another_type_or_with_unreadable_PEM_is_not_usable()
    {
        var (crt, key) = TestCertificates.Create("shop.example");
        var (_, otherKey) = TestCertificates.Create("shop.example");
        var table = Table(Tls("opaque", "opaque", "opaque.example") + TestCertificates.SecretYaml("app", "opaque", crt, key, "Opaque")
            + Tls("junk", "junk", "junk.example") + TestCertificates.SecretYaml("app", "junk", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", key)
            + Tls("mismatch", "mismatch", "mismatch.example") + TestCertificates.SecretYaml("app", "mismatch", crt, otherKey));
        Assert.Equal("Secret app/opaque has type Opaque, not kubernetes.io/tls", table.Tls.ForServerName("opaque.example")!.Problem);
        Assert.StartsWith("Secret app/junk: tls.crt/tls.key cannot be read", table.Tls.ForServerName("junk.example")!.Problem, StringComparison.Ordinal);
        Assert.StartsWith("Secret app/mismatch: tls.crt/tls.key cannot be read", table.Tls.ForServerName("mismatch.example")!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_that_does_not_name_its_host_is_served_and_reported()
    {
        var table = Table(Tls("shop", "shop-tls", "shop.example") + TestCertificates.SecretYaml("app", "shop-tls", "elsewhere.example"));
        Assert.True(table.Tls.ForServerName("shop.example")!.IsUsable);
        Assert.Contains(table.Problems, p => p.Message.Contains("does not name host shop.example", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_listed_by_two_Ingresses_takes_the_certificate_of_the_first_in_precedence()
    {
        var table = Table(Tls("b", "b-tls", "shop.example") + TestCertificates.SecretYaml("app", "b-tls", "shop.example")
            + Tls("a", "a-tls", "shop.example") + TestCertificates.SecretYaml("app", "a-tls", "shop.example"));
        Assert.Equal("app/a-tls", table.Tls.ForServerName("shop.example")!.SecretQualifiedName);
        Assert.Contains(table.Problems, p => p.Object == "Ingress app/b" && p.Message.Contains("host shop.example is not used", StringComparison.Ordinal));
    }
}
