using Maille.Engine.Gateways;
using Maille.TestKit;
using static Maille.Engine.Tests.Gateway.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// The HTTP core conformance tests of the Gateway API (v1.6, conformance/tests/httproute-*.go), re-expressed on the
/// engine: the same objects, built with <see cref="GatewayWorld"/>, and the same requests with the outcomes and
/// statuses the suite asserts. Each test is named after the suite's ShortName.
/// </summary>
public sealed class HttpCoreConformanceTests
{
    private static (GatewayPlan Plan, GatewayRouteTable Table) Plan(GatewayWorld world, string gateway = "same-namespace", string ns = Infra)
    {
        var plan = world.Plan();
        return (plan, plan.Tables[$"{ns}/{gateway}"]);
    }

    private static GatewayCondition Condition(GatewayPlan plan, string kind, string route, string type, int parent = 0) =>
        plan.RouteStatusOf(kind, route)!.Parents[parent].Conditions.Single(c => c.Type == type);

    private static void AssertCondition(GatewayCondition condition, bool status, string reason)
    {
        Assert.Equal(status, condition.Status);
        Assert.Equal(reason, condition.Reason);
    }

    [Fact]
    public void HTTPRouteSimpleSameNamespace()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("gateway-conformance-infra-test").Parent("same-namespace").Rule(RouteRule.New().To("infra-backend-v1"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/"));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/gateway-conformance-infra-test", "Accepted"), true, "Accepted");
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/gateway-conformance-infra-test", "ResolvedRefs"), true, "ResolvedRefs");
    }

    [Fact]
    public void HTTPRouteMatching()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("matching").Parent("same-namespace")
            .Rule(RouteRule.New().Match(path: ("PathPrefix", "/")).Match(headers: [("version", "one")]).To("infra-backend-v1"))
            .Rule(RouteRule.New().Match(path: ("PathPrefix", "/v2")).Match(headers: [("version", "two")]).To("infra-backend-v2"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/"));
        Assert.Equal("infra-backend-v1", table.Outcome("/example"));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com", ("Version", "one")));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2"));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2/example"));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Version", "two")));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2/"));
        Assert.Equal("infra-backend-v1", table.Outcome("/v2example"));
        Assert.Equal("infra-backend-v1", table.Outcome("/foo/v2/example"));
    }

    [Fact]
    public void HTTPRoutePathMatchOrder()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("path-matching-order").Parent("same-namespace")
            .Rule(RouteRule.Exact("/match").To("infra-backend-v1"))
            .Rule(RouteRule.Exact("/match/exact").To("infra-backend-v2"))
            .Rule(RouteRule.Exact("/match/exact/one").To("infra-backend-v3"))
            .Rule(RouteRule.Prefix("/match/").To("infra-backend-v3"))
            .Rule(RouteRule.Prefix("/match/prefix/").To("infra-backend-v1"))
            .Rule(RouteRule.Prefix("/match/prefix/one").To("infra-backend-v2"))));
        Assert.Equal("infra-backend-v3", table.Outcome("/match/exact/one"));
        Assert.Equal("infra-backend-v2", table.Outcome("/match/exact"));
        Assert.Equal("infra-backend-v1", table.Outcome("/match"));
        Assert.Equal("infra-backend-v2", table.Outcome("/match/prefix/one/any"));
        Assert.Equal("infra-backend-v1", table.Outcome("/match/prefix/any"));
        Assert.Equal("infra-backend-v3", table.Outcome("/match/any"));
    }

    [Fact]
    public void HTTPRouteExactPathMatching()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("exact-matching").Parent("same-namespace")
            .Rule(RouteRule.Exact("/").To("infra-backend-v1"))
            .Rule(RouteRule.Exact("/v2").To("infra-backend-v2"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/"));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2"));
        Assert.Equal("404", table.Outcome("/v2/example"));
        Assert.Equal("404", table.Outcome("/v2/"));
    }

    [Fact]
    public void HTTPRouteMatchingAcrossRoutes()
    {
        var (_, table) = Plan(Conformance()
            .Route(Route.Http("matching-part1").Parent("same-namespace").Hostnames("example.com", "example.net")
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/")).Match(headers: [("version", "one")]).To("infra-backend-v1")))
            .Route(Route.Http("matching-part2").Parent("same-namespace").Hostnames("example.com")
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/v2")).Match(headers: [("version", "two")]).To("infra-backend-v2"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com"));
        Assert.Equal("infra-backend-v1", table.Outcome("/example", "example.com"));
        Assert.Equal("infra-backend-v1", table.Outcome("/example", "example.net"));
        Assert.Equal("infra-backend-v1", table.Outcome("/example", "example.com", ("Version", "one")));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2", "example.com"));
        Assert.Equal("infra-backend-v1", table.Outcome("/v2", "example.net"));
        Assert.Equal("infra-backend-v2", table.Outcome("/v2/example", "example.com"));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Version", "two")));
    }

    [Fact]
    public void HTTPRouteHeaderMatching()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("header-matching").Parent("same-namespace")
            .Rule(RouteRule.New().Match(headers: [("version", "one")]).To("infra-backend-v1"))
            .Rule(RouteRule.New().Match(headers: [("version", "two")]).To("infra-backend-v2"))
            .Rule(RouteRule.New().Match(headers: [("version", "two"), ("color", "orange")]).To("infra-backend-v1"))
            .Rule(RouteRule.New().Match(headers: [("color", "blue")]).Match(headers: [("color", "green")]).To("infra-backend-v1"))
            .Rule(RouteRule.New().Match(headers: [("color", "red")]).Match(headers: [("color", "yellow")]).To("infra-backend-v2"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com", ("Version", "one")));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Version", "two")));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com", ("Version", "two"), ("Color", "orange")));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Version", "two"), ("Color", "blue")));
        Assert.Equal("404", table.Outcome("/", "example.com", ("Color", "orange")));
        Assert.Equal("404", table.Outcome("/", "example.com", ("Some-Other-Header", "one")));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com", ("Color", "blue")));
        Assert.Equal("infra-backend-v1", table.Outcome("/", "example.com", ("Color", "green")));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Color", "red")));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "example.com", ("Color", "yellow")));
        Assert.Equal("404", table.Outcome("/", "example.com", ("Color", "purple")));
    }

    [Fact]
    public void HTTPRouteHostnameIntersection()
    {
        var world = Conformance()
            .Gateway(Infra, "httproute-hostname-intersection",
                Listener.Http("listener-1", 80).For("very.specific.com"),
                Listener.Http("listener-2", 80).For("*.wildcard.io"),
                Listener.Http("listener-3", 80).For("*.anotherwildcard.io"))
            .Route(Route.Http("specific-host-matches-listener-specific-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "*.nonmatchingwildcard.io", "very.specific.com").Rule(RouteRule.Prefix("/s1").To("infra-backend-v1")))
            .Route(Route.Http("specific-host-matches-listener-wildcard-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "wildcard.io", "foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io").Rule(RouteRule.Prefix("/s2").To("infra-backend-v2")))
            .Route(Route.Http("wildcard-host-matches-listener-specific-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "*.specific.com").Rule(RouteRule.Prefix("/s3").To("infra-backend-v3")))
            .Route(Route.Http("wildcard-host-matches-listener-wildcard-host").Parent("httproute-hostname-intersection")
                .Hostnames("*.anotherwildcard.io").Rule(RouteRule.Prefix("/s4").To("infra-backend-v1")))
            .Route(Route.Http("no-intersecting-hosts").Parent("httproute-hostname-intersection")
                .Hostnames("specific.but.wrong.com", "wildcard.io").Rule(RouteRule.Prefix("/s5").To("infra-backend-v2")));
        var (plan, table) = Plan(world, "httproute-hostname-intersection");
        Assert.Equal("infra-backend-v1", table.Outcome("/s1", "very.specific.com"));
        Assert.Equal("infra-backend-v1", table.Outcome("/s1", "very.specific.com:1234"));
        Assert.Equal("404", table.Outcome("/s1", "non.matching.com"));
        Assert.Equal("404", table.Outcome("/s1", "foo.nonmatchingwildcard.io"));
        Assert.Equal("404", table.Outcome("/s1", "foo.wildcard.io"));
        Assert.Equal("404", table.Outcome("/non-matching-prefix", "very.specific.com"));
        Assert.Equal("infra-backend-v2", table.Outcome("/s2", "foo.wildcard.io"));
        Assert.Equal("infra-backend-v2", table.Outcome("/s2", "bar.wildcard.io"));
        Assert.Equal("infra-backend-v2", table.Outcome("/s2", "foo.bar.wildcard.io"));
        Assert.Equal("404", table.Outcome("/s2", "wildcard.io"));
        Assert.Equal("404", table.Outcome("/s2", "very.specific.com"));
        Assert.Equal("infra-backend-v3", table.Outcome("/s3", "very.specific.com"));
        Assert.Equal("404", table.Outcome("/s3", "foo.specific.com"));
        Assert.Equal("infra-backend-v1", table.Outcome("/s4", "foo.anotherwildcard.io"));
        Assert.Equal("infra-backend-v1", table.Outcome("/s4", "foo.bar.anotherwildcard.io"));
        Assert.Equal("404", table.Outcome("/s4", "anotherwildcard.io"));
        Assert.Equal("404", table.Outcome("/s5", "specific.but.wrong.com"));
        Assert.Equal("404", table.Outcome("/s5", "wildcard.io"));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/no-intersecting-hosts", "Accepted"), false, "NoMatchingListenerHostname");
    }

    [Fact]
    public void HTTPRouteListenerHostnameMatching()
    {
        const string Gw = "httproute-listener-hostname-matching";
        var (_, table) = Plan(Conformance()
            .Gateway(Infra, Gw,
                Listener.Http("listener-1", 80).For("bar.com"),
                Listener.Http("listener-2", 80).For("foo.bar.com"),
                Listener.Http("listener-3", 80).For("*.bar.com"),
                Listener.Http("listener-4", 80).For("*.foo.com"))
            .Route(Route.Http("backend-v1").Parent(Gw, Infra, "listener-1").Rule(RouteRule.New().To("infra-backend-v1")))
            .Route(Route.Http("backend-v2").Parent(Gw, Infra, "listener-2").Rule(RouteRule.New().To("infra-backend-v2")))
            .Route(Route.Http("backend-v3").Parent(Gw, Infra, "listener-3").Parent(Gw, Infra, "listener-4").Rule(RouteRule.New().To("infra-backend-v3"))), Gw);
        Assert.Equal("infra-backend-v1", table.Outcome("/", "bar.com"));
        Assert.Equal("infra-backend-v2", table.Outcome("/", "foo.bar.com"));
        Assert.Equal("infra-backend-v3", table.Outcome("/", "baz.bar.com"));
        Assert.Equal("infra-backend-v3", table.Outcome("/", "boo.bar.com"));
        Assert.Equal("infra-backend-v3", table.Outcome("/", "multiple.prefixes.bar.com"));
        Assert.Equal("infra-backend-v3", table.Outcome("/", "multiple.prefixes.foo.com"));
        Assert.Equal("404", table.Outcome("/", "foo.com"));
        Assert.Equal("404", table.Outcome("/", "no.matching.host"));
    }

    [Fact]
    public void HTTPRouteCrossNamespace()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("cross-namespace", WebBackend).Parent("backend-namespaces", Infra).Rule(RouteRule.New().To("web-backend"))), "backend-namespaces");
        Assert.Equal("web-backend", table.Outcome("/"));
        AssertCondition(Condition(plan, "HTTPRoute", $"{WebBackend}/cross-namespace", "Accepted"), true, "Accepted");
    }

    [Fact]
    public void HTTPRouteInvalidCrossNamespaceParentRef()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("invalid-cross-namespace-parent-ref", WebBackend).Parent("same-namespace", Infra).Rule(RouteRule.New().To("web-backend"))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{WebBackend}/invalid-cross-namespace-parent-ref", "Accepted"), false, "NotAllowedByListeners");
        Assert.Equal("404", table.Outcome("/"));
        Assert.Equal(0, plan.GatewayStatusOf($"{Infra}/same-namespace")!.Listeners[0].AttachedRoutes);
    }

    [Fact]
    public void HTTPRouteInvalidCrossNamespaceBackendRef()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("invalid-cross-namespace-backend-ref").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/invalid-cross-namespace-backend-ref", "ResolvedRefs"), false, "RefNotPermitted");
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/invalid-cross-namespace-backend-ref", "Accepted"), true, "Accepted");
        Assert.Equal("500", table.Outcome("/"));
    }

    [Fact]
    public void HTTPRouteReferenceGrant()
    {
        var (plan, table) = Plan(Conformance()
            .Grant(WebBackend, "reference-grant", "HTTPRoute", Infra, "Service", "web-backend")
            .Route(Route.Http("reference-grant").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))));
        Assert.Equal("web-backend", table.Outcome("/"));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/reference-grant", "ResolvedRefs"), true, "ResolvedRefs");
    }

    [Fact]
    public void HTTPRouteInvalidReferenceGrant()
    {
        // The grant is in the wrong namespace: it lets routes refer to Services of its own namespace, not of web-backend's.
        var (plan, table) = Plan(Conformance()
            .Grant(AppBackend, "reference-grant-wrong-namespace", "HTTPRoute", Infra, "Service", "web-backend")
            .Route(Route.Http("reference-grant").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/reference-grant", "ResolvedRefs"), false, "RefNotPermitted");
        Assert.Equal("500", table.Outcome("/"));
    }

    [Fact]
    public void HTTPRoutePartiallyInvalidViaInvalidReferenceGrant()
    {
        var (plan, table) = Plan(Conformance()
            .Grant(AppBackend, "invalid-reference-grant", "HTTPRoute", Infra, "Service", "app-backend-v1")
            .Route(Route.Http("invalid-reference-grant").Parent("same-namespace")
                .Rule(RouteRule.Prefix("/v2").To("app-backend-v2", ns: AppBackend))
                .Rule(RouteRule.New().To("app-backend-v1", ns: AppBackend))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/invalid-reference-grant", "ResolvedRefs"), false, "RefNotPermitted");
        Assert.Equal("500", table.Outcome("/v2"));
        Assert.Equal("app-backend-v1", table.Outcome("/"));
    }

    [Fact]
    public void HTTPRouteInvalidBackendRefUnknownKind()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("invalid-backend-ref-unknown-kind").Parent("same-namespace")
            .Rule(RouteRule.New().To("infra-backend-v1", group: "unknownkind.example.com", kind: "NonExistent"))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/invalid-backend-ref-unknown-kind", "ResolvedRefs"), false, "InvalidKind");
        Assert.Equal("500", table.Outcome("/v2"));
    }

    [Fact]
    public void HTTPRouteInvalidNonExistentBackendRef()
    {
        var (plan, table) = Plan(Conformance().Route(Route.Http("invalid-nonexistent-backend-ref").Parent("same-namespace").Rule(RouteRule.New().To("nonexistent-backend"))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/invalid-nonexistent-backend-ref", "ResolvedRefs"), false, "BackendNotFound");
        Assert.Equal("500", table.Outcome("/"));
    }

    [Fact]
    public void HTTPRouteNoBackendRefs()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("omitted-backendrefs").Parent("same-namespace")
            .Rule(RouteRule.Exact("/omitted-no-forward"))
            .Rule(RouteRule.Exact("/empty-no-forward"))
            .Rule(RouteRule.Prefix("/").To("infra-backend-v1"))));
        Assert.Equal("infra-backend-v1", table.Outcome("/forward"));
        Assert.Equal("500", table.Outcome("/omitted-no-forward"));
        Assert.Equal("500", table.Outcome("/empty-no-forward"));
    }

    [Fact]
    public void HTTPRouteInvalidParentRefNotMatchingSectionName()
    {
        var (plan, _) = Plan(Conformance().Route(Route.Http("httproute-not-matching-section-name").Parent("same-namespace", section: "unknown-section").Rule(RouteRule.New().To("infra-backend-v1"))));
        AssertCondition(Condition(plan, "HTTPRoute", $"{Infra}/httproute-not-matching-section-name", "Accepted"), false, "NoMatchingParent");
    }

    [Fact]
    public void HTTPRouteMultipleGateways()
    {
        var world = Conformance()
            .Route(Route.Http("multiple-gateways-shared-route").Parent("same-namespace").Parent("all-namespaces").Rule(RouteRule.Prefix("/shared").To("infra-backend-v1")))
            .Route(Route.Http("same-namespace-dedicated-route").Parent("same-namespace").Rule(RouteRule.Prefix("/").To("infra-backend-v2")))
            .Route(Route.Http("all-namespaces-dedicated-route").Parent("all-namespaces").Rule(RouteRule.Prefix("/").To("infra-backend-v3")));
        var plan = world.Plan();
        Assert.Equal("infra-backend-v1", plan.Tables[$"{Infra}/same-namespace"].Outcome("/shared"));
        Assert.Equal("infra-backend-v2", plan.Tables[$"{Infra}/same-namespace"].Outcome("/"));
        Assert.Equal("infra-backend-v1", plan.Tables[$"{Infra}/all-namespaces"].Outcome("/shared"));
        Assert.Equal("infra-backend-v3", plan.Tables[$"{Infra}/all-namespaces"].Outcome("/"));
        Assert.Equal(2, plan.RouteStatusOf("HTTPRoute", $"{Infra}/multiple-gateways-shared-route")!.Parents.Count);
    }

    [Fact]
    public void HTTPRouteWeight()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("weighted-backends").Parent("same-namespace")
            .Rule(RouteRule.New().To("infra-backend-v1", weight: 70).To("infra-backend-v2", weight: 30).To("infra-backend-v3", weight: 0))));
        var counts = Enumerable.Range(0, 100).Select(draw => table.Outcome(Get("/"), draw)).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(70, counts["infra-backend-v1"]);
        Assert.Equal(30, counts["infra-backend-v2"]);
        Assert.False(counts.ContainsKey("infra-backend-v3"));
    }

    [Theory]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void HTTPRoute30xRedirect(int code)
    {
        var (_, table) = Plan(Conformance().Route(Route.Http($"{code}-redirect").Parent("same-namespace")
            .Rule(RouteRule.Prefix("/see-other").Redirect($"{{statusCode: {code}}}"))));
        var decision = table.Match(Get("/see-other"));
        Assert.Equal(code, decision.Status);
        Assert.Equal("http://example.com/see-other", decision.Location);
    }

    [Fact]
    public void HTTPRouteRedirectHostAndStatus()
    {
        var (_, table) = Plan(Conformance().Route(Route.Http("redirect-host-and-status").Parent("same-namespace")
            .Rule(RouteRule.Prefix("/hostname-redirect").Redirect("{hostname: example.org}"))
            .Rule(RouteRule.Prefix("/host-and-status").Redirect("{statusCode: 301, hostname: example.org}"))));
        var first = table.Match(Get("/hostname-redirect"));
        Assert.Equal((302, "http://example.org/hostname-redirect"), (first.Status, first.Location));
        var second = table.Match(Get("/host-and-status"));
        Assert.Equal((301, "http://example.org/host-and-status"), (second.Status, second.Location));
    }

    [Fact]
    public void HTTPRouteHTTPSListener()
    {
        var world = Conformance()
            .TlsSecret(Infra, "tls-validity-checks-certificate")
            .Gateway(Infra, "same-namespace-with-https-listener",
                Listener.Https("https", 443, "tls-validity-checks-certificate"),
                Listener.Https("https-with-hostname", 443, "tls-validity-checks-certificate").For("second-example.org"))
            .Route(Route.Http("httproute-https-test").Parent("same-namespace-with-https-listener").Hostnames("example.org").Rule(RouteRule.New().To("infra-backend-v1")))
            .Route(Route.Http("httproute-https-test-no-hostname").Parent("same-namespace-with-https-listener", section: "https-with-hostname").Rule(RouteRule.New().To("infra-backend-v2")));
        var (plan, table) = Plan(world, "same-namespace-with-https-listener");
        Assert.Equal("infra-backend-v1", table.Outcome(Get("/", "example.org") with { Scheme = "https" }));
        Assert.Equal("infra-backend-v2", table.Outcome(Get("/", "second-example.org") with { Scheme = "https" }));
        Assert.Equal("404", table.Outcome(Get("/", "unknown-example.org") with { Scheme = "https" }));
        Assert.All(plan.GatewayStatusOf($"{Infra}/same-namespace-with-https-listener")!.Listeners, l =>
            Assert.Contains(l.Conditions, c => c is { Type: "ResolvedRefs", Status: true }));
    }

    [Fact]
    public void GatewayWithAttachedRoutes()
    {
        var world = Conformance()
            .Gateway(Infra, "gateway-with-one-attached-route", Listener.Http("http", 80))
            .Gateway(Infra, "gateway-with-two-attached-routes", Listener.Http("http", 80).For("*.example.com"))
            .Gateway(Infra, "unresolved-gateway-with-one-attached-unresolved-route", Listener.Http("http", 80).OnlyKinds("HTTPRoute"))
            .Route(Route.Http("http-route-1").Parent("gateway-with-one-attached-route").Rule(RouteRule.New().To("infra-backend-v1")))
            .Route(Route.Http("http-route-2").Parent("gateway-with-two-attached-routes").Rule(RouteRule.New().To("infra-backend-v1")))
            .Route(Route.Http("http-route-3").Parent("gateway-with-two-attached-routes").Rule(RouteRule.New().To("infra-backend-v1")))
            .Route(Route.Http("http-route-4").Parent("unresolved-gateway-with-one-attached-unresolved-route").Rule(RouteRule.New().To("does-not-exist")));
        var plan = world.Plan();
        Assert.Equal(1, plan.GatewayStatusOf($"{Infra}/gateway-with-one-attached-route")!.Listeners[0].AttachedRoutes);
        Assert.Equal(2, plan.GatewayStatusOf($"{Infra}/gateway-with-two-attached-routes")!.Listeners[0].AttachedRoutes);
        Assert.Equal(1, plan.GatewayStatusOf($"{Infra}/unresolved-gateway-with-one-attached-unresolved-route")!.Listeners[0].AttachedRoutes);
    }

    [Fact]
    public void GatewayInvalidRouteKind()
    {
        var plan = Conformance().Gateway(Infra, "gateway-only-invalid-route-kind", Listener.Http("http", 80).OnlyKinds("InvalidRoute")).Plan();
        var listener = plan.GatewayStatusOf($"{Infra}/gateway-only-invalid-route-kind")!.Listeners[0];
        Assert.Empty(listener.SupportedKinds);
        Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "InvalidRouteKinds" });
    }

    [Fact]
    public void GatewayListenerUnsupportedProtocol()
    {
        var plan = Conformance().Gateway(Infra, "gateway-unsupported-protocol", new Listener("udp", 8080, "example.com/unsupported")).Plan();
        var status = plan.GatewayStatusOf($"{Infra}/gateway-unsupported-protocol")!;
        Assert.Contains(status.Listeners[0].Conditions, c => c is { Type: "Accepted", Status: false, Reason: "UnsupportedProtocol" });
        Assert.Contains(status.Conditions, c => c is { Type: "Accepted", Status: false, Reason: "ListenersNotValid" });
    }

    [Fact]
    public void GatewayInvalidTLSConfiguration()
    {
        var plan = Conformance()
            .TlsSecret(Infra, "malformed", type: "Opaque")
            .Gateway(Infra, "gateway-certificate-nonexistent-secret", Listener.Https("https", 443, "nonexistent-certificate"))
            .Gateway(Infra, "gateway-certificate-malformed-secret", Listener.Https("https", 443, "malformed"))
            .Plan();
        foreach (var name in new[] { "gateway-certificate-nonexistent-secret", "gateway-certificate-malformed-secret" })
        {
            var listener = plan.GatewayStatusOf($"{Infra}/{name}")!.Listeners[0];
            Assert.Contains(listener.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "InvalidCertificateRef" });
            Assert.Contains(listener.Conditions, c => c is { Type: "Programmed", Status: false });
        }
    }

    [Fact]
    public void GatewaySecretReferenceGrants()
    {
        // GatewaySecretMissingReferenceGrant, GatewaySecretInvalidReferenceGrant, GatewaySecretReferenceGrantAllInNamespace and GatewaySecretReferenceGrantSpecific.
        static GatewayListenerStatus Listener0(GatewayWorld world) =>
            world.Gateway(Infra, "gateway-secret", Listener.Https("https", 443, "certificate", "gateway-conformance-web-backend")).Plan().GatewayStatusOf($"{Infra}/gateway-secret")!.Listeners[0];
        GatewayWorld World() => Conformance().TlsSecret(WebBackend, "certificate");

        Assert.Contains(Listener0(World()).Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "RefNotPermitted" });
        Assert.Contains(Listener0(World().Grant(WebBackend, "g", "Gateway", Infra, "Secret", "not-the-certificate")).Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "RefNotPermitted" });
        Assert.Contains(Listener0(World().Grant(WebBackend, "g", "Gateway", Infra, "Secret")).Conditions, c => c is { Type: "ResolvedRefs", Status: true });
        Assert.Contains(Listener0(World().Grant(WebBackend, "g", "Gateway", Infra, "Secret", "certificate")).Conditions, c => c is { Type: "ResolvedRefs", Status: true });
    }
}
