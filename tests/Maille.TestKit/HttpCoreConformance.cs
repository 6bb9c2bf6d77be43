using Maille.Model;
using static Maille.TestKit.ConformanceRequests;
using static Maille.TestKit.GatewayWorld;

namespace Maille.TestKit;

/// <summary>
/// The HTTP core conformance tests of the Gateway API (v1.6, conformance/tests/httproute-*.go and gateway-*.go) as
/// <see cref="ConformanceCase"/>s, each named after the suite's ShortName: the same objects, the same requests with the
/// outcomes, and the statuses the suite asserts. Maille.Engine.Tests' HttpCoreConformanceTests plan them;
/// Maille.Lab.Tests' LabGatewayConformanceTests run them in a live lab.
/// </summary>
public static class HttpCoreConformance
{
    private const string V1 = "infra-backend-v1";
    private const string V2 = "infra-backend-v2";
    private const string V3 = "infra-backend-v3";

    public static ConformanceCase HTTPRouteSimpleSameNamespace { get; } = new ConformanceCase(nameof(HTTPRouteSimpleSameNamespace), w => w
            .Route(Route.Http("gateway-conformance-infra-test").Parent("same-namespace").Rule(RouteRule.New().To(V1))))
        .Expect("/", V1)
        .Status(
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/gateway-conformance-infra-test", "Accepted", true, "Accepted"),
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/gateway-conformance-infra-test", "ResolvedRefs", true, "ResolvedRefs"));

    public static ConformanceCase HTTPRouteMatching { get; } = new ConformanceCase(nameof(HTTPRouteMatching), w => w
            .Route(Route.Http("matching").Parent("same-namespace")
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/")).Match(headers: [("version", "one")]).To(V1))
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/v2")).Match(headers: [("version", "two")]).To(V2))))
        .Expect("/", V1)
        .Expect("/example", V1)
        .Expect(Get("/", "example.com", ("Version", "one")), V1)
        .Expect("/v2", V2)
        .Expect("/v2/example", V2)
        .Expect(Get("/", "example.com", ("Version", "two")), V2)
        .Expect("/v2/", V2)
        .Expect("/v2example", V1)
        .Expect("/foo/v2/example", V1);

    public static ConformanceCase HTTPRoutePathMatchOrder { get; } = new ConformanceCase(nameof(HTTPRoutePathMatchOrder), w => w
            .Route(Route.Http("path-matching-order").Parent("same-namespace")
                .Rule(RouteRule.Exact("/match").To(V1))
                .Rule(RouteRule.Exact("/match/exact").To(V2))
                .Rule(RouteRule.Exact("/match/exact/one").To(V3))
                .Rule(RouteRule.Prefix("/match/").To(V3))
                .Rule(RouteRule.Prefix("/match/prefix/").To(V1))
                .Rule(RouteRule.Prefix("/match/prefix/one").To(V2))))
        .Expect("/match/exact/one", V3)
        .Expect("/match/exact", V2)
        .Expect("/match", V1)
        .Expect("/match/prefix/one/any", V2)
        .Expect("/match/prefix/any", V1)
        .Expect("/match/any", V3);

    public static ConformanceCase HTTPRouteExactPathMatching { get; } = new ConformanceCase(nameof(HTTPRouteExactPathMatching), w => w
            .Route(Route.Http("exact-matching").Parent("same-namespace")
                .Rule(RouteRule.Exact("/").To(V1))
                .Rule(RouteRule.Exact("/v2").To(V2))))
        .Expect("/", V1)
        .Expect("/v2", V2)
        .Expect("/v2/example", "404")
        .Expect("/v2/", "404");

    public static ConformanceCase HTTPRouteMatchingAcrossRoutes { get; } = new ConformanceCase(nameof(HTTPRouteMatchingAcrossRoutes), w => w
            .Route(Route.Http("matching-part1").Parent("same-namespace").Hostnames("example.com", "example.net")
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/")).Match(headers: [("version", "one")]).To(V1)))
            .Route(Route.Http("matching-part2").Parent("same-namespace").Hostnames("example.com")
                .Rule(RouteRule.New().Match(path: ("PathPrefix", "/v2")).Match(headers: [("version", "two")]).To(V2))))
        .Expect("/", "example.com", V1)
        .Expect("/example", "example.com", V1)
        .Expect("/example", "example.net", V1)
        .Expect(Get("/example", "example.com", ("Version", "one")), V1)
        .Expect("/v2", "example.com", V2)
        .Expect("/v2", "example.net", V1)
        .Expect("/v2/example", "example.com", V2)
        .Expect(Get("/", "example.com", ("Version", "two")), V2);

    public static ConformanceCase HTTPRouteHeaderMatching { get; } = new ConformanceCase(nameof(HTTPRouteHeaderMatching), w => w
            .Route(Route.Http("header-matching").Parent("same-namespace")
                .Rule(RouteRule.New().Match(headers: [("version", "one")]).To(V1))
                .Rule(RouteRule.New().Match(headers: [("version", "two")]).To(V2))
                .Rule(RouteRule.New().Match(headers: [("version", "two"), ("color", "orange")]).To(V1))
                .Rule(RouteRule.New().Match(headers: [("color", "blue")]).Match(headers: [("color", "green")]).To(V1))
                .Rule(RouteRule.New().Match(headers: [("color", "red")]).Match(headers: [("color", "yellow")]).To(V2))))
        .Expect(Get("/", "example.com", ("Version", "one")), V1)
        .Expect(Get("/", "example.com", ("Version", "two")), V2)
        .Expect(Get("/", "example.com", ("Version", "two"), ("Color", "orange")), V1)
        .Expect(Get("/", "example.com", ("Version", "two"), ("Color", "blue")), V2)
        .Expect(Get("/", "example.com", ("Color", "orange")), "404")
        .Expect(Get("/", "example.com", ("Some-Other-Header", "one")), "404")
        .Expect(Get("/", "example.com", ("Color", "blue")), V1)
        .Expect(Get("/", "example.com", ("Color", "green")), V1)
        .Expect(Get("/", "example.com", ("Color", "red")), V2)
        .Expect(Get("/", "example.com", ("Color", "yellow")), V2)
        .Expect(Get("/", "example.com", ("Color", "purple")), "404");

    public static ConformanceCase HTTPRouteHostnameIntersection { get; } = new ConformanceCase(nameof(HTTPRouteHostnameIntersection), w => w
            .Gateway(Infra, "httproute-hostname-intersection",
                Listener.Http("listener-1", 80).For("very.specific.com"),
                Listener.Http("listener-2", 80).For("*.wildcard.io"),
                Listener.Http("listener-3", 80).For("*.anotherwildcard.io"))
            .Route(Route.Http("specific-host-matches-listener-specific-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "*.nonmatchingwildcard.io", "very.specific.com").Rule(RouteRule.Prefix("/s1").To(V1)))
            .Route(Route.Http("specific-host-matches-listener-wildcard-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "wildcard.io", "foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io").Rule(RouteRule.Prefix("/s2").To(V2)))
            .Route(Route.Http("wildcard-host-matches-listener-specific-host").Parent("httproute-hostname-intersection")
                .Hostnames("non.matching.com", "*.specific.com").Rule(RouteRule.Prefix("/s3").To(V3)))
            .Route(Route.Http("wildcard-host-matches-listener-wildcard-host").Parent("httproute-hostname-intersection")
                .Hostnames("*.anotherwildcard.io").Rule(RouteRule.Prefix("/s4").To(V1)))
            .Route(Route.Http("no-intersecting-hosts").Parent("httproute-hostname-intersection")
                .Hostnames("specific.but.wrong.com", "wildcard.io").Rule(RouteRule.Prefix("/s5").To(V2))))
        .On("httproute-hostname-intersection")
        .Expect("/s1", "very.specific.com", V1)
        .Expect("/s1", "very.specific.com:1234", V1)
        .Expect("/s1", "non.matching.com", "404")
        .Expect("/s1", "foo.nonmatchingwildcard.io", "404")
        .Expect("/s1", "foo.wildcard.io", "404")
        .Expect("/non-matching-prefix", "very.specific.com", "404")
        .Expect("/s2", "foo.wildcard.io", V2)
        .Expect("/s2", "bar.wildcard.io", V2)
        .Expect("/s2", "foo.bar.wildcard.io", V2)
        .Expect("/s2", "wildcard.io", "404")
        .Expect("/s2", "very.specific.com", "404")
        .Expect("/s3", "very.specific.com", V3)
        .Expect("/s3", "foo.specific.com", "404")
        .Expect("/s4", "foo.anotherwildcard.io", V1)
        .Expect("/s4", "foo.bar.anotherwildcard.io", V1)
        .Expect("/s4", "anotherwildcard.io", "404")
        .Expect("/s5", "specific.but.wrong.com", "404")
        .Expect("/s5", "wildcard.io", "404")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/no-intersecting-hosts", "Accepted", false, "NoMatchingListenerHostname"));

    public static ConformanceCase HTTPRouteListenerHostnameMatching { get; } = new ConformanceCase(nameof(HTTPRouteListenerHostnameMatching), w => w
            .ListenerHostnameGateway("httproute-listener-hostname-matching")
            .Route(Route.Http("backend-v1").Parent("httproute-listener-hostname-matching", Infra, "listener-1").Rule(RouteRule.New().To(V1)))
            .Route(Route.Http("backend-v2").Parent("httproute-listener-hostname-matching", Infra, "listener-2").Rule(RouteRule.New().To(V2)))
            .Route(Route.Http("backend-v3").Parent("httproute-listener-hostname-matching", Infra, "listener-3")
                .Parent("httproute-listener-hostname-matching", Infra, "listener-4").Rule(RouteRule.New().To(V3))))
        .On("httproute-listener-hostname-matching")
        .Expect("/", "bar.com", V1)
        .Expect("/", "foo.bar.com", V2)
        .Expect("/", "baz.bar.com", V3)
        .Expect("/", "boo.bar.com", V3)
        .Expect("/", "multiple.prefixes.bar.com", V3)
        .Expect("/", "multiple.prefixes.foo.com", V3)
        .Expect("/", "foo.com", "404")
        .Expect("/", "no.matching.host", "404");

    public static ConformanceCase HTTPRouteCrossNamespace { get; } = new ConformanceCase(nameof(HTTPRouteCrossNamespace), w => w
            .Route(Route.Http("cross-namespace", WebBackend).Parent("backend-namespaces", Infra).Rule(RouteRule.New().To("web-backend"))))
        .On("backend-namespaces")
        .Expect("/", "web-backend")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{WebBackend}/cross-namespace", "Accepted", true, "Accepted"));

    public static ConformanceCase HTTPRouteInvalidCrossNamespaceParentRef { get; } = new ConformanceCase(nameof(HTTPRouteInvalidCrossNamespaceParentRef), w => w
            .Route(Route.Http("invalid-cross-namespace-parent-ref", WebBackend).Parent("same-namespace", Infra).Rule(RouteRule.New().To("web-backend"))))
        .Expect("/", "404")
        .Status(
            ExpectedStatus.Route("HTTPRoute", $"{WebBackend}/invalid-cross-namespace-parent-ref", "Accepted", false, "NotAllowedByListeners"),
            ExpectedStatus.AttachedRoutes($"{Infra}/same-namespace", 0, 0));

    public static ConformanceCase HTTPRouteInvalidCrossNamespaceBackendRef { get; } = new ConformanceCase(nameof(HTTPRouteInvalidCrossNamespaceBackendRef), w => w
            .Route(Route.Http("invalid-cross-namespace-backend-ref").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))))
        .Expect("/", "500")
        .Status(
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/invalid-cross-namespace-backend-ref", "ResolvedRefs", false, "RefNotPermitted"),
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/invalid-cross-namespace-backend-ref", "Accepted", true, "Accepted"));

    public static ConformanceCase HTTPRouteReferenceGrant { get; } = new ConformanceCase(nameof(HTTPRouteReferenceGrant), w => w
            .Grant(WebBackend, "reference-grant", "HTTPRoute", Infra, "Service", "web-backend")
            .Route(Route.Http("reference-grant").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))))
        .Expect("/", "web-backend")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/reference-grant", "ResolvedRefs", true, "ResolvedRefs"));

    /// <summary>The grant is in the wrong namespace: it lets routes refer to Services of its own namespace, not of web-backend's.</summary>
    public static ConformanceCase HTTPRouteInvalidReferenceGrant { get; } = new ConformanceCase(nameof(HTTPRouteInvalidReferenceGrant), w => w
            .Grant(AppBackend, "reference-grant-wrong-namespace", "HTTPRoute", Infra, "Service", "web-backend")
            .Route(Route.Http("reference-grant").Parent("same-namespace").Rule(RouteRule.New().To("web-backend", ns: WebBackend))))
        .Expect("/", "500")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/reference-grant", "ResolvedRefs", false, "RefNotPermitted"));

    public static ConformanceCase HTTPRoutePartiallyInvalidViaInvalidReferenceGrant { get; } = new ConformanceCase(nameof(HTTPRoutePartiallyInvalidViaInvalidReferenceGrant), w => w
            .Grant(AppBackend, "invalid-reference-grant", "HTTPRoute", Infra, "Service", "app-backend-v1")
            .Route(Route.Http("invalid-reference-grant").Parent("same-namespace")
                .Rule(RouteRule.Prefix("/v2").To("app-backend-v2", ns: AppBackend))
                .Rule(RouteRule.New().To("app-backend-v1", ns: AppBackend))))
        .Expect("/v2", "500")
        .Expect("/", "app-backend-v1")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/invalid-reference-grant", "ResolvedRefs", false, "RefNotPermitted"));

    public static ConformanceCase HTTPRouteInvalidBackendRefUnknownKind { get; } = new ConformanceCase(nameof(HTTPRouteInvalidBackendRefUnknownKind), w => w
            .Route(Route.Http("invalid-backend-ref-unknown-kind").Parent("same-namespace")
                .Rule(RouteRule.New().To(V1, group: "unknownkind.example.com", kind: "NonExistent"))))
        .Expect("/v2", "500")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/invalid-backend-ref-unknown-kind", "ResolvedRefs", false, "InvalidKind"));

    public static ConformanceCase HTTPRouteInvalidNonExistentBackendRef { get; } = new ConformanceCase(nameof(HTTPRouteInvalidNonExistentBackendRef), w => w
            .Route(Route.Http("invalid-nonexistent-backend-ref").Parent("same-namespace").Rule(RouteRule.New().To("nonexistent-backend"))))
        .Expect("/", "500")
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/invalid-nonexistent-backend-ref", "ResolvedRefs", false, "BackendNotFound"));

    public static ConformanceCase HTTPRouteNoBackendRefs { get; } = new ConformanceCase(nameof(HTTPRouteNoBackendRefs), w => w
            .Route(Route.Http("omitted-backendrefs").Parent("same-namespace")
                .Rule(RouteRule.Exact("/omitted-no-forward"))
                .Rule(RouteRule.Exact("/empty-no-forward"))
                .Rule(RouteRule.Prefix("/").To(V1))))
        .Expect("/forward", V1)
        .Expect("/omitted-no-forward", "500")
        .Expect("/empty-no-forward", "500");

    public static ConformanceCase HTTPRouteInvalidParentRefNotMatchingSectionName { get; } = new ConformanceCase(nameof(HTTPRouteInvalidParentRefNotMatchingSectionName), w => w
            .Route(Route.Http("httproute-not-matching-section-name").Parent("same-namespace", section: "unknown-section").Rule(RouteRule.New().To(V1))))
        .Status(ExpectedStatus.Route("HTTPRoute", $"{Infra}/httproute-not-matching-section-name", "Accepted", false, "NoMatchingParent"));

    public static ConformanceCase HTTPRouteMultipleGateways { get; } = new ConformanceCase(nameof(HTTPRouteMultipleGateways), w => w
            .Route(Route.Http("multiple-gateways-shared-route").Parent("same-namespace").Parent("all-namespaces").Rule(RouteRule.Prefix("/shared").To(V1)))
            .Route(Route.Http("same-namespace-dedicated-route").Parent("same-namespace").Rule(RouteRule.Prefix("/").To(V2)))
            .Route(Route.Http("all-namespaces-dedicated-route").Parent("all-namespaces").Rule(RouteRule.Prefix("/").To(V3))))
        .Expect("/shared", V1)
        .Expect("/", V2)
        .On("all-namespaces")
        .Expect("/shared", V1)
        .Expect("/", V3)
        .Status(ExpectedStatus.Parents("HTTPRoute", $"{Infra}/multiple-gateways-shared-route", 2));

    public static ConformanceCase HTTPRouteWeight { get; } = new ConformanceCase(nameof(HTTPRouteWeight), w => w
            .Route(Route.Http("weighted-backends").Parent("same-namespace")
                .Rule(RouteRule.New().To(V1, weight: 70).To(V2, weight: 30).To(V3, weight: 0))))
        .ExpectWeights(Get("/"), (V1, 70), (V2, 30), (V3, 0));

    public static ConformanceCase HTTPRouteRequestHeaderModifier { get; } = new ConformanceCase(nameof(HTTPRouteRequestHeaderModifier), w => w
            .Route(Route.Http("request-header-modifier").Parent("same-namespace")
                .Rule(RouteRule.Prefix("/set").RequestHeaders("{set: [{name: X-Header-Set, value: set-overwrites-values}]}").To(V1))
                .Rule(RouteRule.Prefix("/add").RequestHeaders("{add: [{name: X-Header-Add, value: add-appends-values}]}").To(V1))
                .Rule(RouteRule.Prefix("/remove").RequestHeaders("{remove: [X-Header-Remove]}").To(V1))
                .Rule(RouteRule.Prefix("/multiple").RequestHeaders(
                    "{set: [{name: X-Header-Set-1, value: header-set-1}, {name: X-Header-Set-2, value: header-set-2}], "
                    + "add: [{name: X-Header-Add-1, value: header-add-1}, {name: X-Header-Add-2, value: header-add-2}, {name: X-Header-Add-3, value: header-add-3}], "
                    + "remove: [X-Header-Remove-1, X-Header-Remove-2]}").To(V1))
                .Rule(RouteRule.Prefix("/case-insensitivity").RequestHeaders(
                    "{set: [{name: X-Header-Set, value: header-set}], add: [{name: X-Header-Add, value: header-add}], remove: [X-Header-Remove]}").To(V1))))
        .ExpectHeaders(Get("/set", "example.com", ("Some-Other-Header", "val")), V1, ("Some-Other-Header", "val"), ("X-Header-Set", "set-overwrites-values"))
        .ExpectHeaders(Get("/set", "example.com", ("X-Header-Set", "some-other-value")), V1, ("X-Header-Set", "set-overwrites-values"))
        .ExpectHeaders(Get("/add", "example.com", ("Some-Other-Header", "val")), V1, ("Some-Other-Header", "val"), ("X-Header-Add", "add-appends-values"))
        .ExpectHeaders(Get("/add", "example.com", ("X-Header-Add", "some-value")), V1, ("X-Header-Add", "some-value,add-appends-values"))
        .ExpectHeaders(Get("/remove", "example.com", ("X-Header-Remove", "val")), V1, ("X-Header-Remove", null))
        .ExpectHeaders(
            Get("/multiple", "example.com", ("X-Header-Set-2", "set-val-2"), ("X-Header-Add-2", "add-val-2"), ("X-Header-Remove-2", "remove-val-2"), ("Another-Header", "another-header-val")),
            V1,
            ("X-Header-Set-1", "header-set-1"), ("X-Header-Set-2", "header-set-2"),
            ("X-Header-Add-1", "header-add-1"), ("X-Header-Add-2", "add-val-2,header-add-2"), ("X-Header-Add-3", "header-add-3"),
            ("Another-Header", "another-header-val"), ("X-Header-Remove-1", null), ("X-Header-Remove-2", null))
        .ExpectHeaders(
            Get("/case-insensitivity", "example.com", ("x-header-set", "original-val-set"), ("x-header-add", "original-val-add"), ("x-header-remove", "original-val-remove")),
            V1,
            ("X-Header-Set", "header-set"), ("X-Header-Add", "original-val-add,header-add"), ("X-Header-Remove", null));

    public static ConformanceCase HTTPRouteRedirectHostAndStatus { get; } = new ConformanceCase(nameof(HTTPRouteRedirectHostAndStatus), w => w
            .Route(Route.Http("redirect-host-and-status").Parent("same-namespace")
                .Rule(RouteRule.Prefix("/hostname-redirect").Redirect("{hostname: example.org}"))
                .Rule(RouteRule.Prefix("/host-and-status").Redirect("{statusCode: 301, hostname: example.org}"))))
        .ExpectRedirect(Get("/hostname-redirect"), 302, "http://example.org/hostname-redirect")
        .ExpectRedirect(Get("/host-and-status"), 301, "http://example.org/host-and-status");

    /// <summary>The certificate is a real one (for example.org and second-example.org), so a live proxy can serve it.</summary>
    public static ConformanceCase HTTPRouteHTTPSListener { get; } = new ConformanceCase(nameof(HTTPRouteHTTPSListener), w => w
            .Certificate(Infra, "tls-validity-checks-certificate", "example.org", "second-example.org")
            .Gateway(Infra, "same-namespace-with-https-listener",
                Listener.Https("https", 443, "tls-validity-checks-certificate"),
                Listener.Https("https-with-hostname", 443, "tls-validity-checks-certificate").For("second-example.org"))
            .Route(Route.Http("httproute-https-test").Parent("same-namespace-with-https-listener").Hostnames("example.org").Rule(RouteRule.New().To(V1)))
            .Route(Route.Http("httproute-https-test-no-hostname").Parent("same-namespace-with-https-listener", section: "https-with-hostname").Rule(RouteRule.New().To(V2))))
        .On("same-namespace-with-https-listener")
        .Expect(Get("/", "example.org") with { Scheme = "https" }, V1)
        .Expect(Get("/", "second-example.org") with { Scheme = "https" }, V2)
        .Expect(Get("/", "unknown-example.org") with { Scheme = "https" }, "404")
        .Status(
            ExpectedStatus.Listener($"{Infra}/same-namespace-with-https-listener", 0, "ResolvedRefs", true),
            ExpectedStatus.Listener($"{Infra}/same-namespace-with-https-listener", 1, "ResolvedRefs", true));

    public static ConformanceCase GatewayWithAttachedRoutes { get; } = new ConformanceCase(nameof(GatewayWithAttachedRoutes), w => w
            .Gateway(Infra, "gateway-with-one-attached-route", Listener.Http("http", 80))
            .Gateway(Infra, "gateway-with-two-attached-routes", Listener.Http("http", 80).For("*.example.com"))
            .Gateway(Infra, "unresolved-gateway-with-one-attached-unresolved-route", Listener.Http("http", 80).OnlyKinds("HTTPRoute"))
            .Route(Route.Http("http-route-1").Parent("gateway-with-one-attached-route").Rule(RouteRule.New().To(V1)))
            .Route(Route.Http("http-route-2").Parent("gateway-with-two-attached-routes").Rule(RouteRule.New().To(V1)))
            .Route(Route.Http("http-route-3").Parent("gateway-with-two-attached-routes").Rule(RouteRule.New().To(V1)))
            .Route(Route.Http("http-route-4").Parent("unresolved-gateway-with-one-attached-unresolved-route").Rule(RouteRule.New().To("does-not-exist"))))
        .Status(
            ExpectedStatus.AttachedRoutes($"{Infra}/gateway-with-one-attached-route", 0, 1),
            ExpectedStatus.AttachedRoutes($"{Infra}/gateway-with-two-attached-routes", 0, 2),
            ExpectedStatus.AttachedRoutes($"{Infra}/unresolved-gateway-with-one-attached-unresolved-route", 0, 1));

    public static ConformanceCase GatewayInvalidRouteKind { get; } = new ConformanceCase(nameof(GatewayInvalidRouteKind), w => w
            .Gateway(Infra, "gateway-only-invalid-route-kind", Listener.Http("http", 80).OnlyKinds("InvalidRoute")))
        .Status(
            ExpectedStatus.SupportedKinds($"{Infra}/gateway-only-invalid-route-kind", 0, 0),
            ExpectedStatus.Listener($"{Infra}/gateway-only-invalid-route-kind", 0, "ResolvedRefs", false, "InvalidRouteKinds"));

    public static ConformanceCase GatewayListenerUnsupportedProtocol { get; } = new ConformanceCase(nameof(GatewayListenerUnsupportedProtocol), w => w
            .Gateway(Infra, "gateway-unsupported-protocol", new Listener("udp", 8080, "example.com/unsupported")))
        .Status(
            ExpectedStatus.Listener($"{Infra}/gateway-unsupported-protocol", 0, "Accepted", false, "UnsupportedProtocol"),
            ExpectedStatus.Gateway($"{Infra}/gateway-unsupported-protocol", "Accepted", false, "ListenersNotValid"));

    public static ConformanceCase GatewayInvalidTLSConfiguration { get; } = new ConformanceCase(nameof(GatewayInvalidTLSConfiguration), w => w
            .TlsSecret(Infra, "malformed", type: "Opaque")
            .Gateway(Infra, "gateway-certificate-nonexistent-secret", Listener.Https("https", 443, "nonexistent-certificate"))
            .Gateway(Infra, "gateway-certificate-malformed-secret", Listener.Https("https", 443, "malformed")))
        .Status(
            ExpectedStatus.Listener($"{Infra}/gateway-certificate-nonexistent-secret", 0, "ResolvedRefs", false, "InvalidCertificateRef"),
            ExpectedStatus.Listener($"{Infra}/gateway-certificate-nonexistent-secret", 0, "Programmed", false),
            ExpectedStatus.Listener($"{Infra}/gateway-certificate-malformed-secret", 0, "ResolvedRefs", false, "InvalidCertificateRef"),
            ExpectedStatus.Listener($"{Infra}/gateway-certificate-malformed-secret", 0, "Programmed", false));

    public static ConformanceCase GatewaySecretMissingReferenceGrant { get; } = SecretGrant(nameof(GatewaySecretMissingReferenceGrant), w => w, resolved: false);

    public static ConformanceCase GatewaySecretInvalidReferenceGrant { get; } =
        SecretGrant(nameof(GatewaySecretInvalidReferenceGrant), w => w.Grant(WebBackend, "g", "Gateway", Infra, "Secret", "not-the-certificate"), resolved: false);

    public static ConformanceCase GatewaySecretReferenceGrantAllInNamespace { get; } =
        SecretGrant(nameof(GatewaySecretReferenceGrantAllInNamespace), w => w.Grant(WebBackend, "g", "Gateway", Infra, "Secret"), resolved: true);

    public static ConformanceCase GatewaySecretReferenceGrantSpecific { get; } =
        SecretGrant(nameof(GatewaySecretReferenceGrantSpecific), w => w.Grant(WebBackend, "g", "Gateway", Infra, "Secret", "certificate"), resolved: true);

    /// <summary>The route's only parent's listener admits TLSRoutes alone: not accepted, and the Gateway has no routes attached.</summary>
    public static ConformanceCase HTTPRouteDisallowedKind { get; } = new ConformanceCase(nameof(HTTPRouteDisallowedKind), w => w
            .Gateway(Infra, "tlsroutes-only", new Listener("tls", 443, "TLS").Passthrough().OnlyKinds("TLSRoute"))
            .Route(Route.Http("disallowed-kind").Parent("tlsroutes-only").Rule(RouteRule.New().To(V1))))
        .Status(
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/disallowed-kind", "ResolvedRefs", true, "ResolvedRefs"),
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/disallowed-kind", "Accepted", false, "NotAllowedByListeners"),
            ExpectedStatus.Parents("HTTPRoute", $"{Infra}/disallowed-kind", 1),
            ExpectedStatus.AttachedRoutes($"{Infra}/tlsroutes-only", 0, 0));

    /// <summary>The route's backend changes from v1 to v2: generation 2, and every parent's conditions observed at it.</summary>
    public static ConformanceCase HTTPRouteObservedGenerationBump { get; } = new ConformanceCase(nameof(HTTPRouteObservedGenerationBump), w => w
            .Route(Route.Http("observed-generation-bump").Parent("same-namespace").Rule(RouteRule.New().To(V1))))
        .Status(ExpectedStatus.Latest("HTTPRoute", $"{Infra}/observed-generation-bump", 1))
        .Then(w => w.Route(Route.Http("observed-generation-bump").Parent("same-namespace").Rule(RouteRule.New().To(V2))))
        .Status(
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/observed-generation-bump", "Accepted", true, "Accepted"),
            ExpectedStatus.Route("HTTPRoute", $"{Infra}/observed-generation-bump", "ResolvedRefs", true, "ResolvedRefs"),
            ExpectedStatus.Latest("HTTPRoute", $"{Infra}/observed-generation-bump", 2));

    /// <summary>A listener "alternate" for foo.com is added to the Gateway: generation 2, and its conditions observed at it.</summary>
    public static ConformanceCase GatewayObservedGenerationBump { get; } = new ConformanceCase(nameof(GatewayObservedGenerationBump), w => w
            .Gateway(Infra, "gateway-observed-generation-bump", Listener.Http("http", 80).For("bar.com").From("All")))
        .Status(ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-observed-generation-bump", 1))
        .Then(w => w.Gateway(Infra, "gateway-observed-generation-bump",
            Listener.Http("http", 80).For("bar.com").From("All"),
            Listener.Http("alternate", 80).For("foo.com").From("All")))
        .Status(ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-observed-generation-bump", 2));

    /// <summary>The GatewayClass's description changes from "old" to "new": still accepted, generation 2, conditions observed at it.</summary>
    public static ConformanceCase GatewayClassObservedGenerationBump { get; } = new ConformanceCase(nameof(GatewayClassObservedGenerationBump), w => w
            .Class("gatewayclass-observed-generation-bump", GatewayApi.ControllerName, description: "old"))
        .Status(
            ExpectedStatus.GatewayClass("gatewayclass-observed-generation-bump", "Accepted", true),
            ExpectedStatus.Latest("GatewayClass", "gatewayclass-observed-generation-bump", 1))
        .Then(w => w.Class("gatewayclass-observed-generation-bump", GatewayApi.ControllerName, description: "new"))
        .Status(
            ExpectedStatus.GatewayClass("gatewayclass-observed-generation-bump", "Accepted", true),
            ExpectedStatus.Latest("GatewayClass", "gatewayclass-observed-generation-bump", 2));

    /// <summary>
    /// One Gateway gains an HTTP listener (data.test.com) next to its HTTPS one, the other loses its HTTPS listener; a
    /// route attached to each Gateway attaches to every listener it has. The suite changes them one after the other;
    /// here both change in one step, to the same statuses.
    /// </summary>
    public static ConformanceCase GatewayModifyListeners { get; } = new ConformanceCase(nameof(GatewayModifyListeners), w => w
            .Certificate(Infra, "tls-validity-checks-certificate", "secure.test.com")
            .Gateway(Infra, "gateway-add-listener", SecureListener)
            .Route(Route.Http("http-route-1").Parent("gateway-add-listener").Rule(RouteRule.New().To(V1)))
            .Gateway(Infra, "gateway-remove-listener", SecureListener, Listener.Http("http", 80).From("All"))
            .Route(Route.Http("http-route-2").Parent("gateway-remove-listener").Rule(RouteRule.New().To(V1))))
        .Status(
            ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-add-listener", 1),
            ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-remove-listener", 1))
        .Then(w => w
            .Gateway(Infra, "gateway-add-listener", SecureListener, Listener.Http("http", 80).For("data.test.com").From("All"))
            .Gateway(Infra, "gateway-remove-listener", Listener.Http("http", 80).From("All")))
        .Status(
            ExpectedStatus.HttpListeners($"{Infra}/gateway-add-listener", ("https", 1), ("http", 1)),
            ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-add-listener", 2),
            ExpectedStatus.HttpListeners($"{Infra}/gateway-remove-listener", ("http", 1)),
            ExpectedStatus.Latest("Gateway", $"{Infra}/gateway-remove-listener", 2));

    /// <summary>HTTPRoute30xRedirect for <paramref name="code"/> (303, 307 or 308).</summary>
    public static ConformanceCase Redirect(int code) => new ConformanceCase($"HTTPRoute30xRedirect({code})", w => w
            .Route(Route.Http($"{code}-redirect").Parent("same-namespace").Rule(RouteRule.Prefix("/see-other").Redirect($"{{statusCode: {code}}}"))))
        .ExpectRedirect(Get("/see-other"), code, "http://example.com/see-other");

    /// <summary>Every case, in the suite's order.</summary>
    public static IReadOnlyList<ConformanceCase> All { get; } =
    [
        HTTPRouteSimpleSameNamespace, HTTPRouteMatching, HTTPRoutePathMatchOrder, HTTPRouteExactPathMatching, HTTPRouteMatchingAcrossRoutes,
        HTTPRouteHeaderMatching, HTTPRouteHostnameIntersection, HTTPRouteListenerHostnameMatching, HTTPRouteCrossNamespace,
        HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRouteReferenceGrant, HTTPRouteInvalidReferenceGrant,
        HTTPRoutePartiallyInvalidViaInvalidReferenceGrant, HTTPRouteInvalidBackendRefUnknownKind, HTTPRouteInvalidNonExistentBackendRef,
        HTTPRouteNoBackendRefs, HTTPRouteInvalidParentRefNotMatchingSectionName, HTTPRouteMultipleGateways, HTTPRouteWeight,
        Redirect(303), Redirect(307), Redirect(308), HTTPRouteRedirectHostAndStatus, HTTPRouteRequestHeaderModifier, HTTPRouteHTTPSListener,
        GatewayWithAttachedRoutes, GatewayInvalidRouteKind, GatewayListenerUnsupportedProtocol, GatewayInvalidTLSConfiguration,
        GatewaySecretMissingReferenceGrant, GatewaySecretInvalidReferenceGrant, GatewaySecretReferenceGrantAllInNamespace, GatewaySecretReferenceGrantSpecific,
        HTTPRouteDisallowedKind, HTTPRouteObservedGenerationBump, GatewayObservedGenerationBump, GatewayClassObservedGenerationBump, GatewayModifyListeners,
    ];

    /// <summary>GatewayModifyListeners' HTTPS listener: secure.test.com on 443, routes from all namespaces.</summary>
    private static Listener SecureListener => Listener.Https("https", 443, "tls-validity-checks-certificate", Infra).For("secure.test.com").From("All");

    public static ConformanceCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>A Gateway whose HTTPS listener's certificate is a Secret in another namespace, with <paramref name="grants"/>.</summary>
    private static ConformanceCase SecretGrant(string name, Func<GatewayWorld, GatewayWorld> grants, bool resolved) => new ConformanceCase(name, w => grants(w
            .Certificate(WebBackend, "certificate", "secret.example")
            .Gateway(Infra, "gateway-secret", Listener.Https("https", 443, "certificate", WebBackend))))
        .Status(resolved
            ? ExpectedStatus.Listener($"{Infra}/gateway-secret", 0, "ResolvedRefs", true)
            : ExpectedStatus.Listener($"{Infra}/gateway-secret", 0, "ResolvedRefs", false, "RefNotPermitted"));
}
