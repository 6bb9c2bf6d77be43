using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

public sealed class TraceCommandTests
{
    private static string Shop => Path.Combine(Cluster.RepositoryRoot, "examples", "shop");

    [Fact]
    public void Json_carries_verdict_reason_hops_and_endpoints_with_the_documented_fields()
    {
        var (code, stdout, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "external", "--to", "198.18.0.11:30080", "-o", "json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("denied", (string?)json["verdict"]);
        Assert.False(string.IsNullOrEmpty((string?)json["reason"]));
        foreach (var hop in json["hops"]!.AsArray())
        {
            foreach (var field in new[] { "stage", "node", "result", "detail", "rule" })
            {
                Assert.True(hop!.AsObject().ContainsKey(field), $"hop without {field}: {hop}");
            }
        }

        var endpoint = json["endpoints"]!.AsArray()[0]!.AsObject();
        Assert.Equal(["pod", "ip", "port", "protocol", "verdict", "decidedBy"], endpoint.Select(p => p.Key));
        Assert.Equal(8080, (int)endpoint["port"]!);
        Assert.Equal("TCP", (string?)endpoint["protocol"]);
        Assert.StartsWith("shop-api/api-", (string?)endpoint["pod"], StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_names_say_why()
    {
        var (code, stdout, _) = CliRunner.Run("trace", "-f", Shop, "--from", "external", "--to", "payments.shop-api:443", "-o", "json");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("unreachable", (string?)json["verdict"]);
        Assert.Contains("ExternalName", (string?)json["reason"], StringComparison.Ordinal);
        Assert.Empty(json["endpoints"]!.AsArray());
    }

    [Fact]
    public void A_short_service_name_resolves_through_the_source_pods_search_path_as_in_the_pod()
    {
        var (code, stdout, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "shop-api/api-bf5krq2pvl-4kczt", "--to", "legacy-billing:443", "-o", "json");
        Assert.True(code == 0, stderr);
        var dns = JsonNode.Parse(stdout)!["hops"]!.AsArray()[0]!;
        Assert.Equal("dns", (string?)dns["stage"]);
        Assert.StartsWith("legacy-billing (searched as legacy-billing.shop-api.svc.cluster.local, the first domain of the pod's search path) resolves to the ClusterIP of shop-api/legacy-billing", (string?)dns["detail"], StringComparison.Ordinal);

        // From another namespace the same short name is that namespace's: there is no legacy-billing in shop-web.
        (code, stdout, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "shop-web/frontend-497dph9tpv-bccbx", "--to", "legacy-billing:443", "-o", "json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("unreachable", (string?)json["verdict"]);
        Assert.Equal("NXDOMAIN", (string?)json["hops"]!.AsArray()[0]!["result"]);
    }

    [Fact]
    public void A_short_service_name_from_outside_the_cluster_is_refused_with_the_forms_that_work()
    {
        var (code, _, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "external", "--to", "legacy-billing:443");
        Assert.Equal(1, code);
        Assert.Contains("a Service is NAME.NAMESPACE[.svc[.cluster.local]]:PORT; a short NAME:PORT needs --from a pod, whose search path resolves it", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_source_pod_is_an_error()
    {
        var (code, _, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "shop-web/nope", "--to", "api.shop-api:80");
        Assert.Equal(1, code);
        Assert.Contains("--from shop-web/nope: no such pod", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_destination_is_an_error()
    {
        var (code, _, stderr) = CliRunner.Run("trace", "-f", Shop, "--from", "external", "--to", "api.shop-api");
        Assert.Equal(1, code);
        Assert.Contains("expected HOST:PORT[/PROTO]", stderr, StringComparison.Ordinal);
    }
}
