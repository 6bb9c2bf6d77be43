using Maille.Engine.Gateways;
using Maille.TestKit;
using static Maille.TestKit.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// Filters on a backendRef (HTTPBackendRef's <c>filters</c>): applied only when the request is sent to that backend,
/// after the rule's own. Each rule here splits its requests 1:1 between v1 and v2 (draw 0 picks v1, draw 1 picks v2).
/// </summary>
public sealed class BackendRefFilterTests
{
    private static GatewayRouteTable Table(RouteRule rule) =>
        Conformance().Route(Route.Http("split").Parent("same-namespace").Rule(rule)).Table();

    private static string[] FilterTypes(GatewayDecision decision) => [.. decision.Filters.Select(f => f.Type)];

    [Fact]
    public void A_header_modifier_on_one_backendRef_applies_only_to_the_requests_sent_there_after_the_rules_own()
    {
        var table = Table(RouteRule.Prefix("/")
            .RequestHeaders("{set: [{name: x-rule, value: r}]}")
            .ToFiltered("infra-backend-v1", 1, ("RequestHeaderModifier", "requestHeaderModifier", "{set: [{name: x-backend, value: v1}]}"))
            .To("infra-backend-v2", weight: 1));

        var toV1 = table.Match(Get("/"), draw: 0);
        var toV2 = table.Match(Get("/"), draw: 1);

        Assert.Equal(("infra-backend-v1", 200), (toV1.Backend!.Service.Split('/')[1], toV1.Status));
        Assert.Equal(["RequestHeaderModifier", "RequestHeaderModifier"], FilterTypes(toV1));
        Assert.Equal("x-backend", toV1.Filters[1].RequestHeaderModifier!.Set.Single().Name);
        Assert.Equal("infra-backend-v2", toV2.Backend!.Service.Split('/')[1]);
        Assert.Equal("x-rule", toV2.Filters.Single().RequestHeaderModifier!.Set.Single().Name);
    }

    [Fact]
    public void A_URLRewrite_on_a_backendRef_rewrites_the_path_only_for_that_backend()
    {
        var table = Table(RouteRule.Prefix("/shop")
            .ToFiltered("infra-backend-v1", 1, ("URLRewrite", "urlRewrite", "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}"))
            .To("infra-backend-v2", weight: 1));

        Assert.Equal("/v1/cart", table.Match(Get("/shop/cart"), draw: 0).BackendPath);
        Assert.Equal("/shop/cart", table.Match(Get("/shop/cart"), draw: 1).BackendPath);
    }

    [Fact]
    public void A_RequestRedirect_on_a_backendRef_answers_the_requests_drawn_for_it()
    {
        var table = Table(RouteRule.Prefix("/")
            .ToFiltered("infra-backend-v1", 1, ("RequestRedirect", "requestRedirect", "{hostname: moved.example.com, statusCode: 301}"))
            .To("infra-backend-v2", weight: 1));

        var redirected = table.Match(Get("/a?b=c"), draw: 0);
        Assert.Equal((301, "http://moved.example.com/a?b=c"), (redirected.Status, redirected.Location));
        Assert.Equal("infra-backend-v2", table.Outcome(Get("/a"), draw: 1));
    }

    [Fact]
    public void A_filter_Maille_does_not_implement_on_a_backendRef_answers_500_for_that_backend_only()
    {
        var table = Table(RouteRule.Prefix("/")
            .ToFiltered("infra-backend-v1", 1, ("ExtensionRef", "extensionRef", "{group: example.com, kind: Auth, name: a}"))
            .To("infra-backend-v2", weight: 1));

        var refused = table.Match(Get("/"), draw: 0);
        Assert.Equal(500, refused.Status);
        Assert.Contains("ExtensionRef", refused.Reason, StringComparison.Ordinal);
        Assert.Equal("infra-backend-v2", table.Outcome(Get("/"), draw: 1));
    }
}
