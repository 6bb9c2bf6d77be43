using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>
/// <c>maille trace --from NS/POD --to http://SVC.NS:PORT/PATH</c> through the waypoint of examples/waypoint: the trace's
/// fields and the contract's <c>waypoint</c> object, and the text.
/// </summary>
public sealed class WaypointTraceCommandTests
{
    private static string Example => Path.Combine(Cluster.RepositoryRoot, "examples", "waypoint");

    private static JsonObject Trace(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["trace", .. args, "-o", "json", "-f", Example]);
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    [Fact]
    public void An_allowed_request_names_the_waypoint_the_ALLOW_rule_the_weighted_backends_and_the_hop_with_the_waypoint_identity()
    {
        var trace = Trace("--from", "front/web", "--to", "http://reviews.shop:9080/api/items");
        var waypoint = trace["waypoint"]!.AsObject();

        Assert.Equal("allowed", (string?)trace["verdict"]);
        Assert.Equal("shop/waypoint", (string?)waypoint["waypoint"]);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/waypoint", (string?)waypoint["identity"]);
        Assert.Equal("""{"allowed":true,"outcome":"AllowedByPolicy","policy":"shop/reviews-viewers","rule":0,"action":"ALLOW","allowPolicies":[]}""", waypoint["authorization"]!.ToJsonString());
        Assert.Equal(("shop/reviews", 1), ((string?)waypoint["route"], (int?)waypoint["rule"]));
        Assert.Equal("""[{"service":"shop/reviews-v1","port":9080,"weight":80},{"service":"shop/reviews-v2","port":9080,"weight":20}]""", waypoint["backends"]!.ToJsonString());
        Assert.Equal(5, (double?)waypoint["timeout"]);
        Assert.Equal(200, (int?)waypoint["status"]);
        Assert.Equal("shop/reviews-v1", (string?)waypoint["endpoint"]!["pod"]);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/waypoint", (string?)waypoint["hop"]!["source"]);
        Assert.Equal("shop/reviews-via-waypoint", (string?)waypoint["hop"]!["policy"]);
        Assert.Equal(["waypoint", "mesh-source", "waypoint-authorization", "waypoint-route", "mesh-destination"], trace["hops"]!.AsArray().Select(h => (string?)h!["stage"]));
        Assert.Equal("shop/reviews-v1", (string?)Assert.Single(trace["endpoints"]!.AsArray())!["pod"]);
    }

    [Fact]
    public void A_denied_request_gets_403_with_the_DENY_rule_and_no_route()
    {
        var trace = Trace("--from", "front/admin", "--to", "http://reviews.shop:9080/internal/stats", "--method", "get");
        var waypoint = trace["waypoint"]!.AsObject();

        Assert.Equal("denied", (string?)trace["verdict"]);
        Assert.Equal(403, (int?)waypoint["status"]);
        Assert.Equal(("shop/no-internal", "DENY"), ((string?)waypoint["authorization"]!["policy"], (string?)waypoint["authorization"]!["action"]));
        Assert.Null(waypoint["route"]);
        Assert.Empty(trace["endpoints"]!.AsArray());
    }

    [Fact]
    public void A_header_picks_the_canary_and_the_text_says_each_step()
    {
        var (code, stdout, stderr) = CliRunner.Run(["trace", "-f", Example, "--from", "front/admin", "--to", "http://reviews.shop:9080/", "--header", "x-canary: true"]);

        Assert.True(code == 0, stderr);
        Assert.Contains("Waypoint: bound\n    Service shop/reviews uses waypoint shop/waypoint (namespace shop's label istio.io/use-waypoint=waypoint)", stdout, StringComparison.Ordinal);
        Assert.Contains("Waypoint: authorization: allowed\n    allowed by AuthorizationPolicy shop/reviews-viewers rule 1 (ALLOW)", stdout, StringComparison.Ordinal);
        Assert.Contains("Waypoint: route: matched\n    shop/reviews-v2:9080 weight 1; 200", stdout, StringComparison.Ordinal);
        Assert.Contains("Verdict: ALLOWED (the waypoint answers 200", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Service_that_opts_out_is_traced_as_before_without_a_waypoint()
    {
        var (code, stdout, _) = CliRunner.Run(["trace", "-f", Example, "--from", "front/web", "--to", "ratings.shop:9080", "-o", "json"]);

        Assert.Equal(0, code);
        Assert.Null(JsonNode.Parse(stdout)!["waypoint"]);
    }
}
