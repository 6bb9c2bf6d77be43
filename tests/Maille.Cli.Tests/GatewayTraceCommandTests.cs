using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary><c>maille trace --to http(s)://…</c> through a Gateway of examples/gateway: the contract's <c>gateway</c> object.</summary>
public sealed class GatewayTraceCommandTests
{
    private static string Example => Path.Combine(Cluster.RepositoryRoot, "examples", "gateway");

    private static JsonObject Gateway(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["trace", .. args, "-o", "json", "-f", Example]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!["gateway"]!.AsObject();
    }

    [Fact]
    public void A_routed_request_names_gateway_listener_route_rule_backends_and_200()
    {
        var gateway = Gateway("--to", "http://www.shop.example/api/items?page=2");
        Assert.Equal("edge/public", (string?)gateway["gateway"]);
        Assert.Equal("http", (string?)gateway["listener"]);
        Assert.Equal("shop/storefront", (string?)gateway["route"]);
        Assert.Equal(0, (int?)gateway["rule"]);
        Assert.Equal("""[{"service":"shop/api-v1","port":9000,"weight":90},{"service":"shop/api-v2","port":9000,"weight":10}]""", gateway["backends"]!.ToJsonString());
        Assert.Equal(200, (int?)gateway["status"]);
        Assert.Contains("shop/api-v1", (string?)gateway["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmatched_host_gets_404_with_no_route_and_no_rule()
    {
        var gateway = Gateway("--to", "http://nobody.example/", "--via", "edge/public");
        Assert.Equal(404, (int?)gateway["status"]);
        Assert.Null(gateway["route"]);
        Assert.Null(gateway["rule"]);
        Assert.Empty(gateway["backends"]!.AsArray());
    }

    [Fact]
    public void Https_takes_the_https_listener_and_a_redirect_answers_its_code()
    {
        Assert.Equal("https", (string?)Gateway("--to", "https://www.shop.example/")["listener"]);
        Assert.Equal(301, (int?)Gateway("--to", "http://shop.example.org/cart", "--method", "POST", "--header", "x-a: 1")["status"]);
    }

    [Fact]
    public void An_unknown_via_gateway_is_an_error()
    {
        var (code, _, stderr) = CliRunner.Run(["trace", "--to", "http://www.shop.example/", "--via", "edge/nope", "-f", Example]);
        Assert.Equal(1, code);
        Assert.Contains("--via edge/nope", stderr, StringComparison.Ordinal);
    }
}
