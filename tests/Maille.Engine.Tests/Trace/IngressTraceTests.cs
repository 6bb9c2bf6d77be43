using Maille.Engine.Trace;
using Maille.TestKit;

namespace Maille.Engine.Tests.Trace;

// IP plan: node-1 198.18.0.11 (pods 198.19.1.0/24), node-2 198.18.0.12 (pods 198.19.2.0/24); external client 198.18.0.2.
// Namespace "app": web 198.19.1.2 (node-1) serves 8080/TCP "http"; Service web 80 → http. Namespace "maille-system":
// controller pod ctl-0 (node-2) labelled app.kubernetes.io/name=maille-ingress; Service maille-ingress, LoadBalancer
// IP 198.18.0.240. Ingress app/site: host shop.example, Prefix /api → web:80; Ingress app/any: no host, Exact / → web:80.
public sealed class IngressTraceTests
{
    private const string Cluster = Ingress.IngressYaml.DefaultClass + """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: app, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: app}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ctl-0, namespace: maille-system, labels: {app.kubernetes.io/name: maille-ingress}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{name: http, containerPort: 80}, {name: https, containerPort: 443}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: maille-ingress, namespace: maille-system}
        spec:
          type: LoadBalancer
          selector: {app.kubernetes.io/name: maille-ingress}
          ports: [{name: http, port: 80}, {name: https, port: 443}]
        status: {loadBalancer: {ingress: [{ip: 198.18.0.240}]}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: site, namespace: app}
        spec:
          rules:
          - host: shop.example
            http:
              paths:
              - {pathType: Prefix, path: /api, backend: {service: {name: web, port: {number: 80} } } }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: any, namespace: app}
        spec:
          rules:
          - http:
              paths:
              - {pathType: Exact, path: /, backend: {service: {name: web, port: {name: http} } } }

        """;

    private const string DenyAllButController = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-controller, namespace: app}
        spec:
          podSelector: {}
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: maille-system}}
              podSelector: {matchLabels: {app.kubernetes.io/name: maille-ingress}}

        """;

    private static TraceResult Trace(string yaml, string to, string? from = null)
    {
        var cluster = Maille.TestKit.Cluster.Valid(yaml);
        var source = from is null
            ? new TraceSource(null, Tracer.DefaultExternalAddress(cluster.Config))
            : new TraceSource(cluster.PodsByName[from], cluster.PodsByName[from].Status.PodIP!);
        var target = TraceTarget.TryParse(to, "cluster.local", out var error) ?? throw new InvalidOperationException(error);
        return Tracer.For(cluster).Trace(source, target);
    }

    [Fact]
    public void A_request_by_host_and_path_goes_from_a_controller_pod_to_the_backend_endpoints()
    {
        var result = Trace(Cluster, "http://shop.example/api/items");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.True(result.ThroughIngress);
        Assert.Equal(new TracedIngress("app/site", "shop.example", "/api", "Prefix", "app/web", 80), result.Ingress);
        Assert.Equal(["dns", "controller", "ingress", "service", "node", "egress-policy", "ingress-policy", "delivery"], result.Hops.Select(h => h.Stage));
        Assert.Equal("198.18.0.240", result.Hops[0].Result);
        Assert.Contains("maille-system/ctl-0", result.Hops[1].Detail, StringComparison.Ordinal);
        Assert.Equal("node-2 → node-1", result.Hops.Single(h => h.Stage == "node").Result);
        Assert.Equal(["app/web"], result.Endpoints.Select(e => e.Pod));
        Assert.Equal(8080, result.Endpoints[0].Port);
    }

    [Fact]
    public void NetworkPolicy_sees_the_controller_pod_as_the_source_not_the_client()
    {
        var external = Trace(Cluster + DenyAllButController, "http://shop.example/api");
        Assert.Equal(TraceResult.Allowed, external.Verdict);
        Assert.Contains("from-controller", external.Endpoints[0].DecidedBy.Single(), StringComparison.Ordinal);

        var direct = Trace(Cluster + DenyAllButController, "198.19.1.2:8080/TCP");
        Assert.Equal(TraceResult.Denied, direct.Verdict);
    }

    [Fact]
    public void The_controllers_LoadBalancer_IP_as_host_takes_the_rules_without_host()
    {
        var result = Trace(Cluster, "http://198.18.0.240/");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Equal(new TracedIngress("app/any", null, "/", "Exact", "app/web", 80), result.Ingress);
        Assert.DoesNotContain(result.Hops, h => h.Stage == "dns");
    }

    [Fact]
    public void An_address_that_is_not_the_controllers_is_traced_as_plain_TCP()
    {
        var result = Trace(Cluster, "http://198.19.1.2:8080/");
        Assert.False(result.ThroughIngress);
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.DoesNotContain(result.Hops, h => h.Stage == "ingress");
    }

    [Fact]
    public void No_matching_rule_is_unreachable_with_404_and_no_ingress()
    {
        var result = Trace(Cluster, "http://shop.example/other");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.StartsWith("404 Not Found", result.Reason, StringComparison.Ordinal);
        Assert.True(result.ThroughIngress);
        Assert.Null(result.Ingress);
        Assert.Empty(result.Endpoints);
    }

    [Fact]
    public void A_backend_without_ready_endpoints_is_unreachable_with_503()
    {
        var result = Trace(Cluster.Replace("labels: {app: web}", "labels: {app: gone}", StringComparison.Ordinal), "http://shop.example/api");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Equal("503 Service Unavailable: Service app/web has no ready endpoint for port http", result.Reason);
        Assert.Equal("app/site", result.Ingress!.Ingress);
    }

    [Fact]
    public void A_port_other_than_80_or_443_does_not_reach_the_controller()
    {
        var result = Trace(Cluster, "http://shop.example:8080/api");
        Assert.Equal(TraceResult.Unreachable, result.Verdict);
        Assert.Contains("http port 8080", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void HTTPS_names_the_certificate_chosen_by_SNI()
    {
        var yaml = Cluster.Replace("""
            spec:
              rules:
              - host: shop.example
            """, """
            spec:
              tls: [{hosts: [shop.example], secretName: shop-tls}]
              rules:
              - host: shop.example
            """, StringComparison.Ordinal) + TestCertificates.SecretYaml("app", "shop-tls", "shop.example");
        var result = Trace(yaml, "https://shop.example/api");
        Assert.Equal("Secret app/shop-tls", result.Hops.Single(h => h.Stage == "tls").Result);
        Assert.Equal("default certificate", Trace(Cluster, "https://shop.example/api").Hops.Single(h => h.Stage == "tls").Result);
    }

    [Fact]
    public void Without_a_controller_in_the_input_a_stand_in_pod_is_judged_and_the_host_is_taken_as_the_controllers()
    {
        var bare = Cluster[..Cluster.IndexOf("apiVersion: v1\nkind: Pod\nmetadata: {name: ctl-0", StringComparison.Ordinal)]
            + Cluster[Cluster.IndexOf("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: site", StringComparison.Ordinal)..];
        var result = Trace(bare + DenyAllButController, "http://shop.example/api");
        Assert.Equal(TraceResult.Allowed, result.Verdict);
        Assert.Contains("taken as routed to Maille's Ingress controller", result.Hops[0].Detail, StringComparison.Ordinal);
        Assert.Contains("(assumed: no controller pod in the input)", result.Hops[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_URL_is_refused_with_the_expected_form()
    {
        Assert.Null(TraceTarget.TryParse("ftp://shop.example/", "cluster.local", out var error));
        Assert.Contains("expected http://HOST[:PORT]/PATH", error, StringComparison.Ordinal);
        var parsed = TraceTarget.TryParse("https://Shop.Example:8443/a/b?q=1", "cluster.local", out _)!;
        Assert.Equal(new TraceHttpRequest("https", "shop.example", 8443, "/a/b"), parsed.Http);
    }
}
