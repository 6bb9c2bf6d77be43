using System.Net;
using Maille.Lab.Tests.Labs;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Mesh;

/// <summary>
/// The live waypoint (privileged, `maille up`): namespace shop is meshed and uses the waypoint shop/waypoint; a meshed
/// client in namespace front sends real HTTP to shop's ClusterIPs from its own network namespace. Its node proxy
/// carries each connection over HBONE to the waypoint pod the lab runs, and the waypoint routes each request as the
/// engine decides.
/// </summary>
public sealed class WaypointLabTests(ITestOutputHelper output) : IDisposable
{
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: front, labels: {istio.io/dataplane-mode: ambient}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: waypoint, namespace: shop}
        spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews-v1, namespace: shop, labels: {app: reviews, version: v1}}
        spec: {serviceAccountName: reviews, containers: [{name: c, image: i, ports: [{containerPort: 9080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews-v2, namespace: shop, labels: {app: reviews, version: v2}}
        spec: {serviceAccountName: reviews, containers: [{name: c, image: i, ports: [{containerPort: 9080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: shop}
        spec: {selector: {app: reviews}, ports: [{port: 9080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews-v1, namespace: shop}
        spec: {selector: {app: reviews, version: v1}, ports: [{port: 9080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: reviews-v2, namespace: shop}
        spec: {selector: {app: reviews, version: v2}, ports: [{port: 9080}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: flaky, namespace: shop, labels: {app: flaky}}
        spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: flaky, namespace: shop}
        spec: {selector: {app: flaky}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: fragile, namespace: shop}
        spec: {selector: {app: flaky}, ports: [{port: 80, targetPort: 8080}]}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: reviews, namespace: shop}
        spec:
          parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
          rules:
            - matches: [{path: {type: PathPrefix, value: /hostname}}]
              backendRefs: [{name: reviews-v1, port: 9080, weight: 80}, {name: reviews-v2, port: 9080, weight: 20}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: flaky, namespace: shop}
        spec:
          parentRefs: [{group: "", kind: Service, name: flaky, port: 80}]
          rules:
            - backendRefs: [{name: flaky, port: 80}]
              retry: {codes: [503], attempts: 2, backoff: 10ms}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: no-admin, namespace: shop}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}]
          action: DENY
          rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: front}
        spec: {serviceAccountName: client, containers: [{name: c, image: i}]}
        """;

    /// <summary>The namespace handles of the clients made by a test, closed after it.</summary>
    private readonly List<NamespaceHttp> _networks = [];

    [SkippableFact]
    public async Task A_waypoint_splits_80_20_retries_a_flaky_backend_and_denies_by_path()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Manifests, output);

        // The lab runs the waypoint as Istio does: a pod of a Deployment named after the Gateway, under its service account.
        var waypointPod = Assert.Single(lab.Get("pods", "-n", "shop")["items"]!.AsArray(), p => (string?)p!["metadata"]!["labels"]?["gateway.istio.io/managed"] == "istio.io-mesh-controller");
        Assert.Equal("waypoint", (string?)waypointPod!["spec"]!["serviceAccountName"]);
        Assert.Equal("waypoint", (string?)waypointPod["metadata"]!["labels"]!["gateway.networking.k8s.io/gateway-name"]);

        // 80/20 within ±5 % over 2,000 requests, on kept-alive connections (each request is routed on its own).
        using var reviews = Client(lab, "reviews");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 2000; i++)
        {
            using var response = await reviews.GetAsync("/hostname");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {i}: {(int)response.StatusCode} {body}");
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }

        output.WriteLine(string.Join(", ", counts.Select(c => $"{c.Key}: {c.Value}")));
        Assert.Equal(["shop/reviews-v1", "shop/reviews-v2"], counts.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(counts["shop/reviews-v1"] / 2000.0, 0.75, 0.85);

        // The same pod fails one request in three: through a Service without a route (no retry) exactly a third fail;
        // through the route with retry on 503 none does.
        using var fragile = Client(lab, "fragile");
        var fragileFailures = 0;
        for (var i = 0; i < 300; i++)
        {
            using var response = await fragile.GetAsync("/fail?every=3");
            fragileFailures += response.StatusCode == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }

        Assert.Equal(100, fragileFailures);
        using var flaky = Client(lab, "flaky");
        for (var i = 0; i < 300; i++)
        {
            using var response = await flaky.GetAsync("/fail?every=3");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {i} through the retrying route: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // An L7 rule of AuthorizationPolicy at the waypoint: 403 with the engine's reason, other paths pass.
        using var denied = await reviews.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("shop/no-admin", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The waypoint counted every request with Istio's names on its pod's 15020, per source identity and code.
        var scrape = lab.Exec("front/client", "curl", "-s", "-m", "3", $"http://{(string)waypointPod["status"]!["podIP"]!}:15020/stats/prometheus");
        Assert.True(scrape.ExitCode == 0, scrape.Stderr);
        var samples = new PrometheusSamples(scrape.Stdout);
        var client = ("source_principal", "spiffe://cluster.local/ns/front/sa/client");
        Assert.Equal(1600 + 400, samples.Sum("istio_requests_total", ("reporter", "waypoint"), client, ("destination_service_name", "reviews"), ("response_code", "200"), ("request_protocol", "http")), 1);
        Assert.Equal(counts["shop/reviews-v2"], samples.Sum("istio_requests_total", ("destination_service_name", "reviews"), ("destination_workload", "reviews-v2"), ("response_code", "200")), 1);
        Assert.Equal(100, samples.Sum("istio_requests_total", ("destination_service_name", "fragile"), ("response_code", "503")), 1);
        Assert.Equal(1, samples.Sum("istio_requests_total", client, ("response_code", "403"), ("response_flags", "RBAC")), 1);
    }

    /// <summary>An HTTP client in front/client's namespace whose connections all go to Service <paramref name="service"/>'s ClusterIP and port.</summary>
    private HttpClient Client(LiveLab lab, string service)
    {
        var spec = lab.Get("services", "-n", "shop", service)["spec"]!;
        var address = IPAddress.Parse((string)spec["clusterIP"]!);
        var port = (int)spec["ports"]![0]!["port"]!;
        var http = new NamespaceHttp(Dataplane.Linux.Lab.LabNames.Pod(lab.Name, "front/client"), address);
        _networks.Add(http);
        return new HttpClient(http.Handler()) { BaseAddress = new Uri($"http://{service}.shop:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public void Dispose()
    {
        foreach (var network in _networks)
        {
            network.Dispose();
        }
    }
}
