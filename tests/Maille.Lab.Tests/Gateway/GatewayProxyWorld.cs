using Maille.Engine.Gateways;
using Maille.TestKit;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Gateway;

/// <summary>
/// One world for the Gateway proxy's tests, on loopback and in a live lab, so each case is written once: the
/// conformance suite's base (<see cref="GatewayWorld.Conformance"/>: backends infra-backend-v1..v3 on port 8080 in
/// gateway-conformance-infra, web-backend in another namespace, the Gateway same-namespace with listener http/80)
/// plus the Service no-endpoints (no pod), the Gateway secure (HTTPS on 443 for a.example and b.example, each with
/// its own certificate), and one route per case, each on its own hostname:
/// <list type="table">
/// <item><term>matching.example</term><description>the conformance HTTPRouteMatching rules (PathPrefix / or header version: one → v1; /v2 or version: two → v2)</description></item>
/// <item><term>weights.example</term><description>v1 weight 70, v2 weight 30, v3 weight 0</description></item>
/// <item><term>refgrant.example</term><description>web-backend in another namespace, no ReferenceGrant: 500</description></item>
/// <item><term>empty.example</term><description>no-endpoints: 503</description></item>
/// <item><term>redirect.example</term><description>RequestRedirect to example.org, 301</description></item>
/// <item><term>rewrite.example</term><description>/prefix/one → URLRewrite ReplacePrefixMatch /one, hostname one.example → v1</description></item>
/// <item><term>headers.example</term><description>RequestHeaderModifier (set X-Test-Set, add X-Test-Add, remove X-Test-Remove), ResponseHeaderModifier (set X-Test-Response) → v1</description></item>
/// <item><term>mirror.example</term><description>→ v1, mirrored to v2</description></item>
/// <item><term>timeout.example</term><description>request timeout 500ms → v1; with <c>retries</c>, <c>/fail</c> → v1 with a retry on 503 (GEP-1731)</description></item>
/// <item><term>grpc.example</term><description>a GRPCRoute of service maille.Echo → v3's port 9000</description></item>
/// <item><term>a.example, b.example</term><description>through Gateway secure → v1</description></item>
/// </list>
/// </summary>
internal static class GatewayProxyWorld
{
    public const string Gateway = "same-namespace";

    public const string SecureGateway = "secure";

    /// <summary>
    /// The world's YAML; <paramref name="certificates"/> are the TLS Secrets' YAML for a-tls and b-tls;
    /// <paramref name="matchingFirst"/> the backend of matching.example's first rule (a change for reload tests);
    /// <paramref name="retries"/> adds timeout.example's <c>/fail</c> rule with a retry, a field of the experimental CRDs
    /// only (a lab's API refuses it, as kubectl's strict validation does on any cluster with the standard CRDs).
    /// </summary>
    public static string Yaml(string certificates, string matchingFirst = "infra-backend-v1", bool retries = false) => Conformance()
        .Backend(Infra, "no-endpoints", readyPods: 0)
        .Gateway(Infra, SecureGateway, Listener.Https("https-a", 443, "a-tls").For("a.example"), Listener.Https("https-b", 443, "b-tls").For("b.example"))
        .Route(Route.Http("matching").Parent(Gateway).Hostnames("matching.example")
            .Rule(RouteRule.New().Match(path: ("PathPrefix", "/")).Match(headers: [("version", "one")]).To(matchingFirst))
            .Rule(RouteRule.New().Match(path: ("PathPrefix", "/v2")).Match(headers: [("version", "two")]).To("infra-backend-v2")))
        .Route(Route.Http("weights").Parent(Gateway).Hostnames("weights.example")
            .Rule(RouteRule.New().To("infra-backend-v1", weight: 70).To("infra-backend-v2", weight: 30).To("infra-backend-v3", weight: 0)))
        .Route(Route.Http("refgrant").Parent(Gateway).Hostnames("refgrant.example").Rule(RouteRule.New().To("web-backend", ns: WebBackend)))
        .Route(Route.Http("empty").Parent(Gateway).Hostnames("empty.example").Rule(RouteRule.New().To("no-endpoints")))
        .Route(Route.Http("redirect").Parent(Gateway).Hostnames("redirect.example").Rule(RouteRule.New().Redirect("{hostname: example.org, statusCode: 301}")))
        .Route(Route.Http("rewrite").Parent(Gateway).Hostnames("rewrite.example")
            .Rule(RouteRule.Prefix("/prefix/one").Rewrite("{hostname: one.example, path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}").To("infra-backend-v1")))
        .Route(Route.Http("headers").Parent(Gateway).Hostnames("headers.example")
            .Rule(RouteRule.New()
                .RequestHeaders("{set: [{name: X-Test-Set, value: set}], add: [{name: X-Test-Add, value: added}], remove: [X-Test-Remove]}")
                .ResponseHeaders("{set: [{name: X-Test-Response, value: 'yes'}]}")
                .To("infra-backend-v1")))
        .Route(Route.Http("backend-filters").Parent(Gateway).Hostnames("backend-filters.example")
            .Rule(RouteRule.New()
                .RequestHeaders("{set: [{name: X-Test-Rule, value: rule}]}")
                .ToFiltered("infra-backend-v1", 1,
                    ("RequestHeaderModifier", "requestHeaderModifier", "{set: [{name: X-Test-Backend, value: v1}]}"),
                    ("ResponseHeaderModifier", "responseHeaderModifier", "{set: [{name: X-Backend-Response, value: v1}]}"))
                .To("infra-backend-v2", weight: 0)))
        .Route(Route.Http("mirror").Parent(Gateway).Hostnames("mirror.example").Rule(RouteRule.New().Mirror("infra-backend-v2").To("infra-backend-v1")))
        .Route(retries
            ? Route.Http("timeout").Parent(Gateway).Hostnames("timeout.example").Rule(RouteRule.New().Timeouts(request: "500ms").To("infra-backend-v1"))
                .Rule(RouteRule.Prefix("/fail").Retry("{codes: [503], attempts: 2, backoff: 1ms}").To("infra-backend-v1"))
            : Route.Http("timeout").Parent(Gateway).Hostnames("timeout.example").Rule(RouteRule.New().Timeouts(request: "500ms").To("infra-backend-v1")))
        .Route(Route.Grpc("grpc").Parent(Gateway).Hostnames("grpc.example").Rule(RouteRule.New().Grpc(service: "maille.Echo").To("infra-backend-v3", port: 9000)))
        .Route(Route.Http("secure").Parent(SecureGateway).Hostnames("a.example", "b.example").Rule(RouteRule.New().To("infra-backend-v1")))
        .Add(certificates.TrimStart().TrimStart('-')) // the Secrets' YAML starts a document of its own
        .Yaml;

    /// <summary>
    /// The proxy pods the lab would add (<see cref="GatewayProxyManifests"/>), written out for a cluster planned
    /// without the lab: gw-plain serves Gateway same-namespace on port 80, gw-secure Gateway secure on 443.
    /// </summary>
    public static string ProxyPods => ProxyPod("gw-plain", Gateway, "http-80", 80) + "---\n" + ProxyPod("gw-secure", SecureGateway, "https-443", 443);

    /// <summary>A proxy pod <paramref name="name"/> of Gateway <paramref name="gateway"/> (in gateway-conformance-infra) with one port.</summary>
    public static string ProxyPod(string name, string gateway, string portName, int port) =>
        "apiVersion: v1\nkind: Pod\n"
        + $"metadata: {{name: {name}, namespace: {Infra}, labels: {{{GatewayController.GatewayNameLabel}: {gateway}, {GatewayProxyManifests.ManagedByLabel}: {GatewayProxyManifests.ManagedByValue}}}}}\n"
        + $"spec: {{nodeName: node-2, containers: [{{name: proxy, ports: [{{name: {portName}, containerPort: {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}]}}]}}\n";
}
