using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Maille.Lab.Tests.Ingress;
using Maille.Lab.Workloads;
using Maille.TestKit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Gateway;

/// <summary>
/// The Gateway proxy on loopback: the Ingress controller's proxy, handed a socket of each Gateway proxy pod as the lab
/// hands them over, routing <see cref="GatewayProxyWorld"/> with the engine's route tables. IP plan: pods have planned
/// addresses in 198.19.0.0/16, never dialled (each pod address and port maps to its backend's 127.0.0.1 port);
/// infra-backend-v3 speaks HTTP/2 only (the gRPC backend).
/// </summary>
public sealed class GatewayProxyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly PodId Plain = new(Infra, "gw-plain");
    private static readonly PodId Secure = new(Infra, "gw-secure");

    private static readonly (string Yaml, string Secrets, string ThumbprintA, string ThumbprintB) World = Build();

    private static (string, string, string, string) Build()
    {
        var (crtA, keyA) = TestCertificates.Create("a.example");
        var (crtB, keyB) = TestCertificates.Create("b.example");
        using var a = X509Certificate2.CreateFromPem(crtA);
        using var b = X509Certificate2.CreateFromPem(crtB);
        var secrets = TestCertificates.SecretYaml(Infra, "a-tls", crtA, keyA) + TestCertificates.SecretYaml(Infra, "b-tls", crtB, keyB);
        return (GatewayProxyWorld.Yaml(secrets, retries: true) + GatewayProxyWorld.ProxyPods, secrets, a.Thumbprint, b.Thumbprint);
    }

    /// <summary>The proxy with the world, and clients whose connections go to the proxy pods' sockets (443 to gw-secure's).</summary>
    private static async Task<(ProxyHarness Harness, HttpClient Client)> StartAsync(Version? version = null)
    {
        var cluster = Cluster.Valid(World.Yaml);
        var grpcPod = cluster.Pods.Single(p => p.Labels.Get("app") == "infra-backend-v3").QualifiedName;
        var harness = await ProxyHarness.StartAsync(World.Yaml, new Dictionary<string, HttpProtocols> { [grpcPod] = HttpProtocols.Http2 });
        var plain = harness.AddGatewayListener(Plain, 80, tls: false);
        var secure = harness.AddGatewayListener(Secure, 443, tls: true);
        return (harness, harness.NewClient(version, port => port == 443 ? secure : plain));
    }

    private static async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, string> Fields, HttpResponseMessage Response)> SendAsync(HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, ProxyHarness.Fields(await response.Content.ReadAsStringAsync()), response);
    }

    private static async Task<string> PodOf(HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        var (status, fields, response) = await SendAsync(client, url, headers);
        response.Dispose();
        return status == HttpStatusCode.OK ? fields["pod"].Split('/')[1][..^2] : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Paths_and_headers_are_matched_as_the_engine_decides_whole_path_elements_and_all()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        Assert.Equal("infra-backend-v1", await PodOf(client, "http://matching.example/"));
        Assert.Equal("infra-backend-v2", await PodOf(client, "http://matching.example/v2/example"));
        Assert.Equal("infra-backend-v1", await PodOf(client, "http://matching.example/v2example"));
        Assert.Equal("infra-backend-v2", await PodOf(client, "http://matching.example/", ("Version", "two")));
        Assert.Equal("404", await PodOf(client, "http://nothing.example/"));
    }

    [Fact]
    public async Task Backends_are_drawn_by_weight_and_weight_0_gets_nothing()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var pods = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            pods.Add(await PodOf(client, "http://weights.example/"));
        }

        // 70/30 of 200: v1 is 140 ± 6.5 (one standard deviation); 105..175 is more than five either side.
        var v1 = pods.Count(p => p == "infra-backend-v1");
        Assert.InRange(v1, 105, 175);
        Assert.Equal(200 - v1, pods.Count(p => p == "infra-backend-v2"));
    }

    [Fact]
    public async Task A_backend_in_another_namespace_without_a_grant_answers_500_and_one_without_endpoints_503()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var (refused, _, refusedResponse) = await SendAsync(client, "http://refgrant.example/");
        var (empty, _, emptyResponse) = await SendAsync(client, "http://empty.example/");

        Assert.Equal(HttpStatusCode.InternalServerError, refused);
        Assert.Contains("ReferenceGrant", await refusedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty);
        refusedResponse.Dispose();
        emptyResponse.Dispose();
    }

    [Fact]
    public async Task Redirect_rewrite_and_header_modifiers_are_applied_as_the_filters_say()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var (redirected, _, redirect) = await SendAsync(client, "http://redirect.example/some/path?x=1");
        var (_, rewritten, rewrite) = await SendAsync(client, "http://rewrite.example/prefix/one/two?q=1");
        var (_, modified, headers) = await SendAsync(client, "http://headers.example/", ("X-Test-Set", "client"), ("X-Test-Add", "client"), ("X-Test-Remove", "client"));

        Assert.Equal(HttpStatusCode.MovedPermanently, redirected);
        Assert.Equal("http://example.org/some/path?x=1", redirect.Headers.Location?.ToString());
        Assert.Equal("/one/two?q=1", rewritten["target"]);
        Assert.Equal("one.example", rewritten["host"]);
        Assert.Equal("set", modified["x-test-set"]);
        Assert.Equal("client, added", modified["x-test-add"]);
        Assert.False(modified.ContainsKey("x-test-remove"));
        Assert.Equal("yes", headers.Headers.GetValues("X-Test-Response").Single());
        foreach (var response in new[] { redirect, rewrite, headers })
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_backendRefs_own_filters_are_applied_after_the_rules_to_the_requests_sent_to_it()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var (status, fields, response) = await SendAsync(client, "http://backend-filters.example/");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.StartsWith($"{Infra}/infra-backend-v1", fields["pod"], StringComparison.Ordinal);
            Assert.Equal(("rule", "v1"), (fields["x-test-rule"], fields["x-test-backend"]));
            Assert.Equal("v1", response.Headers.GetValues("X-Backend-Response").Single());
        }
    }

    [Fact]
    public async Task A_rules_retry_hides_a_backend_that_fails_one_request_in_three_and_a_rule_without_one_does_not()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var failed = 0;
        for (var i = 0; i < 30; i++)
        {
            var (status, _, response) = await SendAsync(client, "http://matching.example/fail?every=3");
            response.Dispose();
            failed += status == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }

        Assert.Equal(10, failed);
        for (var i = 0; i < 30; i++)
        {
            var (status, _, response) = await SendAsync(client, "http://timeout.example/fail?every=3");
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    [Fact]
    public async Task A_mirror_gets_a_copy_of_each_request_and_a_route_timeout_answers_504()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        var v2 = harness.Backends.Single(b => b.Pod.Contains("infra-backend-v2", StringComparison.Ordinal));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("infra-backend-v1", await PodOf(client, "http://mirror.example/"));
        }

        var mirrored = await Poll.UntilAsync("the mirror got 5 requests", () => Task.FromResult(v2.Requests), n => n >= 5, output, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        var watch = Stopwatch.StartNew();
        var (slow, _, slowResponse) = await SendAsync(client, "http://timeout.example/slow");
        slowResponse.Dispose();

        Assert.True(mirrored.Met, mirrored.ToString());
        Assert.Equal(HttpStatusCode.GatewayTimeout, slow);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.8), $"answered after {watch.Elapsed}");
        Assert.Equal("infra-backend-v1", await PodOf(client, "http://timeout.example/"));
    }

    [Fact]
    public async Task Https_presents_the_certificate_of_the_listener_the_SNI_names()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;

        var (a, fieldsA, responseA) = await SendAsync(client, "https://a.example/");
        var thumbprintA = harness.LastServerCertificate?.Thumbprint;
        var (b, _, responseB) = await SendAsync(client, "https://b.example/"); // another authority: a connection of its own
        var thumbprintB = harness.LastServerCertificate?.Thumbprint;

        Assert.Equal(HttpStatusCode.OK, a);
        Assert.Equal("https", fieldsA["x-forwarded-proto"]);
        Assert.Equal(World.ThumbprintA, thumbprintA);
        Assert.Equal(HttpStatusCode.OK, b);
        Assert.Equal(World.ThumbprintB, thumbprintB);
        responseA.Dispose();
        responseB.Dispose();
    }

    [Fact]
    public async Task A_GRPCRoute_sends_gRPC_calls_over_HTTP2_to_its_backend()
    {
        var (harness, client) = await StartAsync(HttpVersion.Version20);
        await using var _ = harness;
        using var __ = client;

        using var call = new HttpRequestMessage(HttpMethod.Post, "http://grpc.example/maille.Echo/Say")
        {
            Content = new ByteArrayContent(new byte[5]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        call.Content.Headers.ContentType = new("application/grpc");
        using var response = await client.SendAsync(call, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.StartsWith($"{Infra}/infra-backend-v3", response.TrailingHeaders.GetValues("grpc-message").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_change_under_load_with_no_failed_request()
    {
        // State B sends matching.example/ to v2 instead of v1; both answer 200 from a backend.
        var stateA = ProxyHarness.Plan(World.Yaml);
        var stateB = ProxyHarness.Plan(GatewayProxyWorld.Yaml(World.Secrets, matchingFirst: "infra-backend-v2", retries: true) + GatewayProxyWorld.ProxyPods);
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        var deadline = Stopwatch.StartNew();

        // Four clients, 150 requests each, going on until at least 10 updates have happened meanwhile (bounded at 60 s).
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; (i < 150 || harness.Updates < 10) && deadline.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                try
                {
                    var pod = await PodOf(client, "http://matching.example/");
                    seen.AddOrUpdate(pod, 1, (_, n) => n + 1);
                    if (pod is not ("infra-backend-v1" or "infra-backend-v2"))
                    {
                        failures.Enqueue(pod);
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToList();

        await harness.AlternateWhileAsync(load, stateA, stateB);
        Assert.Empty(failures);
        Assert.True(harness.Updates >= 10, $"only {harness.Updates} updates happened during the load");
        Assert.Equal(["infra-backend-v1", "infra-backend-v2"], seen.Keys.Order());
    }
}
