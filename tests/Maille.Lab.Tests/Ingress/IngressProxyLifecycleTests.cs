using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maille.Lab.Ingresses;
using Maille.Lab.Tests.Workloads;
using Maille.Lab.Workloads;
using Maille.Model;

namespace Maille.Lab.Tests.Ingress;

/// <summary>The proxy on loopback: hot reload under load, metrics, and listening sockets handed over at run time.</summary>
public sealed class IngressProxyLifecycleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly PodId Controller = new("maille-system", "ingress-0");

    [Fact]
    public async Task Routes_endpoints_and_certificates_change_under_load_with_no_failed_request_and_no_dropped_connection()
    {
        // Two states that both serve shop.example/ and https://a.example/: B adds a path, takes web-b out of the
        // endpoints (not ready) and replaces the certificate of a.example.
        var stateA = ProxyHarness.Plan(ProxyCluster.All());
        var yamlB = ProxyCluster.All()
            .Replace("metadata: {name: web-b, namespace: app, labels: {app: web}}", "metadata: {name: web-b, namespace: app, labels: {app: web}}\nstatus: {conditions: [{type: Ready, status: \"False\"}]}", StringComparison.Ordinal)
            .Replace("- {pathType: Prefix, path: /api,", "- {pathType: Exact, path: /new, backend: {service: {name: api, port: {number: 80} } } }\n      - {pathType: Prefix, path: /api,", StringComparison.Ordinal);
        var stateB = ProxyHarness.Plan(yamlB);
        Assert.Single(stateB.EndpointSlices.Single(s => s.ServiceName == "web").Endpoints, e => e.Conditions.Ready);

        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        const int Clients = 4;
        const int RequestsPerClient = 150;
        var deadline = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<string>();
        var clients = Enumerable.Range(0, Clients).Select(_ => harness.NewClient()).ToList();

        // Each client sends its requests and goes on until at least 10 updates have happened meanwhile (bounded at
        // 60 s): on a busy machine the updates' 2 ms pauses can last far longer than the requests.
        var load = clients.Select(client => Task.Run(async () =>
        {
            for (var i = 0; (i < RequestsPerClient || harness.Updates < 10) && deadline.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                var url = i % 2 == 0 ? "http://shop.example/" : "https://a.example/";
                try
                {
                    using var response = await client.GetAsync(url);
                    var pod = ProxyHarness.Fields(await response.Content.ReadAsStringAsync()).GetValueOrDefault("pod");
                    if (response.StatusCode != HttpStatusCode.OK || pod?.StartsWith("app/web-", StringComparison.Ordinal) != true)
                    {
                        failures.Enqueue($"{url}: {(int)response.StatusCode} from {pod}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue($"{url}: {e.Message}");
                }
            }
        })).ToList();

        await harness.AlternateWhileAsync(load, stateA, stateB);
        Assert.Empty(failures);
        Assert.True(harness.Updates >= 10, $"only {harness.Updates} updates happened during the load");
        Assert.Equal(Clients * 2, harness.ClientConnections); // one kept-alive connection per client and scheme, never re-opened
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task The_metrics_endpoint_counts_requests_by_ingress_service_and_status_and_times_them()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        await harness.GetAsync("http://shop.example/api/a");
        await harness.GetAsync("http://shop.example/api/b");
        await harness.GetAsync("http://none.example/");
        await harness.GetAsync("http://unknown.example/");

        using var metrics = new HttpClient();
        var text = await metrics.GetStringAsync($"http://{harness.Metrics}/metrics");
        Assert.Contains("maille_ingress_requests_total{ingress=\"app/site\",service=\"app/api\",status=\"200\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("maille_ingress_requests_total{ingress=\"app/none\",service=\"app/empty\",status=\"503\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("maille_ingress_requests_total{ingress=\"\",service=\"\",status=\"404\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("maille_ingress_request_duration_seconds_count{ingress=\"app/site\",service=\"app/api\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("maille_ingress_request_duration_seconds_bucket{ingress=\"app/site\",service=\"app/api\",le=\"+Inf\"} 2", text, StringComparison.Ordinal);
        Assert.Equal("ok\n", await metrics.GetStringAsync($"http://{harness.Metrics}/healthz"));
    }

    [Fact]
    public async Task Sockets_handed_over_at_run_time_are_served_and_their_pod_is_the_source_of_forwarded_connections()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        var http = Loopback.ListenTcp();
        var metrics = Loopback.ListenTcp();
        var httpAddress = Loopback.EndPointOf(http);
        var metricsAddress = Loopback.EndPointOf(metrics);
        harness.Proxy.AddListener(IngressListenerRole.Http, new PodPort(Controller, Protocol.TCP, 80), http);
        harness.Proxy.AddListener(IngressListenerRole.Metrics, new PodPort(Controller, Protocol.TCP, 10254), metrics);

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{httpAddress}/api/x") { Headers = { Host = "shop.example" } };
        using var response = await client.SendAsync(request);
        Assert.Equal("app/api-0", ProxyHarness.Fields(await response.Content.ReadAsStringAsync())["pod"]);
        Assert.Contains(harness.Connector.Connects, c => c.Via == Controller);
        Assert.Contains("maille_ingress_requests_total", await client.GetStringAsync($"http://{metricsAddress}/metrics"), StringComparison.Ordinal);
        Assert.Contains(await harness.AccessLogLinesAsync(output), l => l.Contains("via maille-system/ingress-0", StringComparison.Ordinal));

        Assert.True(harness.Proxy.RemoveListener(IngressListenerRole.Http, new PodPort(Controller, Protocol.TCP, 80)));
        var refused = await Assert.ThrowsAsync<SocketException>(() => HttpProbe.ConnectAsync(httpAddress));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public void Options_are_checked_before_anything_starts()
    {
        var options = new IngressProxyOptions { UpstreamConnectTimeout = TimeSpan.Zero, MaxConnectAttempts = 0 };
        var error = Assert.Throws<ArgumentException>(() => new IngressProxy(options, null, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System));
        Assert.Contains("UpstreamConnectTimeout must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConnectAttempts must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
