using Maille.Engine.Ingresses;
using static Maille.Engine.Tests.Ingress.IngressYaml;

namespace Maille.Engine.Tests.Ingress;

/// <summary>Backends: Service ports by number and name, ready endpoints, 503, refused resource backends, default backend, protocols.</summary>
public sealed class IngressBackendTests
{
    private static string Backend(string name, string backend, string annotations = "{}") => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: {{name}}, namespace: app, annotations: {{annotations}}}
        spec:
          rules:
          - host: {{name}}.example
            http:
              paths:
              - {pathType: Prefix, path: /, backend: {{backend}}}

        """;

    [Fact]
    public void A_service_port_by_number_resolves_to_the_ready_pod_addresses_and_target_port()
    {
        var table = Table(Backend("num", "{service: {name: web, port: {number: 80}}}"));
        var decision = table.Route("num.example", "/x");
        Assert.Equal(IngressOutcome.Routed, decision.Outcome);
        Assert.Equal(200, decision.StatusCode);
        var route = decision.Route!;
        Assert.Equal("app/web", route.ServiceName);
        Assert.Equal(80, route.ServicePort!.Port);
        Assert.Equal(["app/web-a", "app/web-b"], route.Endpoints.Select(e => e.Pod));
        Assert.All(route.Endpoints, e => Assert.Equal(8080, e.Port));
        Assert.Equal("http://198.19.1.2:8080", route.Endpoints[0].Origin);
    }

    [Fact]
    public void A_service_port_by_name_resolves_to_that_port()
    {
        var route = Table(Backend("named", "{service: {name: web, port: {name: metrics}}}")).Route("named.example", "/").Route!;
        Assert.Equal(9090, route.ServicePort!.Port);
        Assert.All(route.Endpoints, e => Assert.Equal(9090, e.Port));
    }

    [Fact]
    public void A_Service_without_ready_endpoints_answers_503()
    {
        var decision = Table(Backend("none", "{service: {name: empty, port: {number: 80}}}")).Route("none.example", "/");
        Assert.Equal(IngressOutcome.NoEndpoints, decision.Outcome);
        Assert.Equal(503, decision.StatusCode);
        Assert.Equal("Service app/empty has no ready endpoint for port http", decision.Reason);
        Assert.Equal("app/none", decision.Route!.IngressName);
    }

    [Fact]
    public void A_pod_that_is_not_ready_is_no_endpoint()
    {
        var notReady = Base.Replace(
            "metadata: {name: web-b, namespace: app, labels: {app: web}}",
            "metadata: {name: web-b, namespace: app, labels: {app: web}}\nstatus: {conditions: [{type: Ready, status: \"False\"}]}",
            StringComparison.Ordinal);
        var cluster = Maille.TestKit.Cluster.Valid(notReady + Backend("num", "{service: {name: web, port: {number: 80}}}"));
        var route = IngressRouteTable.Build(cluster).Route("num.example", "/").Route!;
        Assert.Equal(["app/web-a"], route.Endpoints.Select(e => e.Pod));
    }

    [Fact]
    public void A_missing_Service_or_port_answers_503_and_is_reported()
    {
        var table = Table(Backend("gone", "{service: {name: gone, port: {number: 80}}}") + Backend("port", "{service: {name: web, port: {number: 81}}}"));
        var gone = table.Route("gone.example", "/");
        Assert.Equal(503, gone.StatusCode);
        Assert.EndsWith("no Service app/gone", gone.Reason, StringComparison.Ordinal);
        Assert.Equal(503, table.Route("port.example", "/").StatusCode);
        Assert.Contains(table.Problems, p => p.Object == "Ingress app/gone" && p.Message.EndsWith("no Service app/gone", StringComparison.Ordinal));
        Assert.Contains(table.Problems, p => p.Object == "Ingress app/port" && p.Message.Contains("has no TCP port 81", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resource_backend_is_refused_with_500_and_reported()
    {
        var table = Table(Backend("bucket", "{resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}}"));
        var decision = table.Route("bucket.example", "/logo.png");
        Assert.Equal(IngressOutcome.Unsupported, decision.Outcome);
        Assert.Equal(500, decision.StatusCode);
        Assert.Contains("resource backend StorageBucket/static-assets is not supported", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(table.Problems, p => p.Message.Contains("StorageBucket/static-assets", StringComparison.Ordinal));
    }

    [Fact]
    public void Unmatched_requests_go_to_the_default_backend_of_the_first_Ingress_in_precedence()
    {
        const string Defaults = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: b-fallback, namespace: app}
            spec: {defaultBackend: {service: {name: web, port: {name: metrics}}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: a-fallback, namespace: app}
            spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}

            """;
        var table = Table(Paths("paths", "shop.example", "Prefix /api") + Defaults);
        Assert.Equal("default", Matched(table, "shop.example", "/other"));
        Assert.Equal("default", Matched(table, "unknown.example", "/"));
        Assert.Equal("Prefix /api", Matched(table, "shop.example", "/api"));
        Assert.Equal("app/a-fallback", table.DefaultBackend!.IngressName);
        Assert.Equal(80, table.Route("unknown.example", "/").Route!.ServicePort!.Port);
        Assert.Contains(table.Problems, p => p.Object == "Ingress app/b-fallback" && p.Message.Contains("defaultBackend is not used", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_default_backend_an_unmatched_request_gets_404()
    {
        var decision = Table(Paths("paths", null, "Exact /only")).Route("h", "/other");
        Assert.Equal(IngressOutcome.NotFound, decision.Outcome);
        Assert.Equal(404, decision.StatusCode);
        Assert.Null(decision.Route);
    }

    [Theory]
    [InlineData("{}", "Http")]
    [InlineData("{maille.dev/backend-protocol: H2C}", "H2c")]
    [InlineData("{maille.dev/backend-protocol: grpc}", "Grpc")]
    [InlineData("{maille.dev/backend-protocol: SPDY}", "Http")]
    public void The_backend_protocol_annotation_chooses_HTTP_1_1_or_h2c(string annotations, string expected)
    {
        var table = Table(Backend("proto", "{service: {name: web, port: {number: 80}}}", annotations));
        Assert.Equal(expected, table.Route("proto.example", "/").Route!.Protocol.ToString());
        Assert.Equal(annotations.Contains("SPDY", StringComparison.Ordinal), table.Problems.Any(p => p.Message.Contains("\"SPDY\" is not HTTP, H2C or GRPC", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_h2c_appProtocol_of_the_Service_port_chooses_h2c()
    {
        var yaml = Base.Replace("{name: http, port: 80, targetPort: http}", "{name: http, port: 80, targetPort: http, appProtocol: kubernetes.io/h2c}", StringComparison.Ordinal)
            + Backend("h2c", "{service: {name: web, port: {number: 80}}}");
        var route = IngressRouteTable.Build(Maille.TestKit.Cluster.Valid(yaml)).Route("h2c.example", "/").Route!;
        Assert.Equal(BackendProtocol.H2c, route.Protocol);
    }
}
