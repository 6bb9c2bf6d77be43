using System.Net;
using System.Text;

namespace Maille.Lab.Tests.Ingress;

/// <summary>The proxy on loopback: routing by host and path, forwarded headers, spreading, failover, 404 and 503.</summary>
public sealed class IngressProxyRoutingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Requests_are_routed_by_host_and_path_with_the_upstream_path_unchanged()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        var (status, api) = await harness.GetAsync("http://shop.example/api/items?page=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("app/api-0", api["pod"]);
        Assert.Equal("/api/items?page=2", api["target"]);

        var (_, site) = await harness.GetAsync("http://shop.example/apix");
        Assert.StartsWith("app/web-", site["pod"], StringComparison.Ordinal);
        Assert.Equal("/apix", site["target"]);
    }

    [Fact]
    public async Task The_backend_gets_the_original_Host_and_forwarded_headers_that_replace_the_clients()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://shop.example/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.7");
        using var response = await harness.Client.SendAsync(request);
        var fields = ProxyHarness.Fields(await response.Content.ReadAsStringAsync());
        Assert.Equal("shop.example", fields["host"]);
        Assert.Equal("127.0.0.1", fields["x-forwarded-for"]);
        Assert.Equal("127.0.0.1", fields["x-real-ip"]);
        Assert.Equal("http", fields["x-forwarded-proto"]);
        Assert.Equal("shop.example", fields["x-forwarded-host"]);

        var (_, tls) = await harness.GetAsync("https://a.example/");
        Assert.Equal("https", tls["x-forwarded-proto"]);
    }

    [Fact]
    public async Task Requests_are_spread_over_every_ready_endpoint_on_kept_alive_connections()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        var pods = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            pods.Add((await harness.GetAsync("http://shop.example/")).Fields["pod"]);
        }

        Assert.Equal(["app/web-a", "app/web-b"], pods.Distinct().Order());
        Assert.True(Math.Abs(pods.Count(p => p == "app/web-a") - 10) <= 1, string.Join(",", pods));
        Assert.Equal(1, harness.ClientConnections);
        Assert.All(harness.Backends.Where(b => b.Pod.StartsWith("app/web-", StringComparison.Ordinal)), b => Assert.Equal(1, b.Connections));
    }

    [Fact]
    public async Task When_an_endpoint_refuses_the_connection_another_one_takes_the_request()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All(), dead: ["app/web-a"]);
        for (var i = 0; i < 10; i++)
        {
            var (status, fields) = await harness.GetAsync("http://shop.example/");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("app/web-b", fields["pod"]);
        }

        using var post = await harness.Client.PostAsync("http://shop.example/orders", new StringContent("order-1", Encoding.UTF8));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("order-1", ProxyHarness.Fields(await post.Content.ReadAsStringAsync())["body"]);
        Assert.Contains(harness.Log.Entries, e => e.EventId.Id == 416 && e.Message.Contains("(trying another endpoint: True)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_no_endpoint_can_be_reached_the_answer_is_502()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All(), dead: ["app/web-a", "app/web-b"]);
        using var response = await harness.Client.GetAsync("http://shop.example/");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task An_unmatched_request_gets_404_and_a_Service_without_endpoints_503()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        using var unknown = await harness.Client.GetAsync("http://unknown.example/");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("404 Not Found: no Ingress rule matches", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var empty = await harness.Client.GetAsync("http://none.example/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty.StatusCode);
        Assert.Equal("503 Service Unavailable: Service app/empty has no ready endpoint for port http\n", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_request_writes_one_access_log_line()
    {
        await using var harness = await ProxyHarness.StartAsync(ProxyCluster.All());
        await harness.GetAsync("http://shop.example/api/items?page=2");
        var line = Assert.Single(await harness.AccessLogLinesAsync(output));
        Assert.Matches(@"^127\.0\.0\.1 via - ""GET http://shop\.example/api/items\?page=2 HTTP/1\.1"" 200 [0-9.]+ms ingress=app/site service=app/api upstream=app/api-0 \(198\.19\.[0-9.]+:8080\)$", line);
    }
}
