using Maille.Engine.Gateways;
using Maille.TestKit;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// One test per precedence rule of the Gateway API (HTTPRoute's <c>rules</c> and <c>hostnames</c>): each builds two
/// matches that both take the request and differ only in the rule under test, written in the order that would win if
/// the rule were ignored (the loser first, in the younger or alphabetically first route), and checks that the rule
/// decides. Every route attaches to the conformance Gateway same-namespace.
/// </summary>
public sealed class GatewayPrecedenceTests
{
    private static readonly GatewayRequest Request = new()
    {
        Host = "example.com",
        Path = "/foo",
        Query = "q=1&r=2",
        Method = "GET",
        Headers = [new("x-a", "1"), new("x-b", "2")],
    };

    private static string Winner(params Route[] routes)
    {
        var world = Conformance();
        foreach (var route in routes)
        {
            world.Route(route);
        }

        var decision = world.Table().Match(Request);
        Assert.Equal(200, decision.Status);
        return $"{decision.Route} rule {decision.Rule}";
    }

    private static Route R(string name) => Route.Http(name).Parent("same-namespace");

    [Fact]
    public void A_matching_non_wildcard_hostname_beats_a_wildcard_and_no_hostname()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.Exact("/foo").To("infra-backend-v1")),
            R("b").Hostnames("example.com").Rule(RouteRule.Prefix("/").To("infra-backend-v2"))));
    }

    [Fact]
    public void An_exact_path_beats_any_prefix()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.Prefix("/foo").To("infra-backend-v1")),
            R("b").Rule(RouteRule.Exact("/foo").To("infra-backend-v2"))));
    }

    [Fact]
    public void The_longest_prefix_wins_and_prefixes_match_whole_path_elements()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.Prefix("/").To("infra-backend-v1")),
            R("b").Rule(RouteRule.Prefix("/foo").To("infra-backend-v2")),
            R("c").Rule(RouteRule.Prefix("/fo").To("infra-backend-v3"))));
    }

    [Fact]
    public void A_method_match_beats_none()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), headers: [("x-a", "1")]).To("infra-backend-v1")),
            R("b").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), method: "GET").To("infra-backend-v2"))));
    }

    [Fact]
    public void More_header_matches_win()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), headers: [("x-a", "1")], query: [("q", "1"), ("r", "2")]).To("infra-backend-v1")),
            R("b").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), headers: [("x-a", "1"), ("x-b", "2")]).To("infra-backend-v2"))));
    }

    [Fact]
    public void More_query_parameter_matches_win()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), query: [("q", "1")]).To("infra-backend-v1")),
            R("b").Rule(RouteRule.New().Match(path: ("PathPrefix", "/foo"), query: [("q", "1"), ("r", "2")]).To("infra-backend-v2"))));
    }

    [Fact]
    public void The_oldest_route_wins_a_tie()
    {
        Assert.Equal($"{Infra}/b rule 0", Winner(
            R("a").Created("2026-01-02T00:00:00Z").Rule(RouteRule.Prefix("/foo").To("infra-backend-v1")),
            R("b").Created("2026-01-01T00:00:00Z").Rule(RouteRule.Prefix("/foo").To("infra-backend-v2"))));
    }

    [Fact]
    public void Between_routes_of_the_same_age_namespace_slash_name_decides()
    {
        var world = Conformance();
        world.Gateway(Infra, "everyone", Listener.Http("http", 80).From("All"));
        world.Route(Route.Http("z", AppBackend).Parent("everyone", Infra).Created("2026-01-01T00:00:00Z").Rule(RouteRule.Prefix("/foo").To("app-backend-v1")));
        world.Route(Route.Http("a", WebBackend).Parent("everyone", Infra).Created("2026-01-01T00:00:00Z").Rule(RouteRule.Prefix("/foo").To("web-backend")));
        var decision = world.Table(Infra, "everyone").Match(Request);
        Assert.Equal($"{AppBackend}/z", decision.Route);
    }

    [Fact]
    public void Within_a_route_the_first_rule_wins_a_tie()
    {
        Assert.Equal($"{Infra}/a rule 0", Winner(
            R("a").Rule(RouteRule.Prefix("/foo").To("infra-backend-v1")).Rule(RouteRule.Prefix("/foo").To("infra-backend-v2"))));
    }
}
