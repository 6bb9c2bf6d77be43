using System.Net;
using System.Text.Json.Nodes;
using Maille.Lab.Tests.Gateway;
using Maille.TestKit;
using Xunit.Abstractions;
using static Maille.TestKit.GatewayWorld;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// Gateway API in a live lab (issue 17): <c>kubectl apply</c> of Gateways and routes, their status through kubectl,
/// and the HTTP core conformance cases of <see cref="GatewayProxyWorld"/> sent as packets from outside the cluster to
/// each Gateway's LoadBalancer address, through the node agents' rules to the Gateway's proxy pod and on to the
/// backends' pods (whose built-in server describes each request as JSON). IP plan: the lab's defaults (nodes, pods and
/// Services in 198.18.0.0/15; LoadBalancer addresses from the lab's pool).
/// </summary>
public sealed class LabGatewayTests(GatewayLabFixture fixture, ITestOutputHelper output) : IClassFixture<GatewayLabFixture>
{
    [SkippableFact]
    public void Kubectl_apply_of_gateways_and_routes_shows_them_programmed_with_the_LoadBalancer_address()
    {
        var lab = fixture.Lab;
        var kubectl = new Kubectl(lab.Lab, output);

        var classes = kubectl.Succeed("get", "gatewayclasses");
        var accepted = kubectl.Succeed("get", "gatewayclass", "maille", "-o", "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}");
        var gateways = kubectl.Succeed("get", "gateways", "-n", Infra);
        var service = kubectl.Succeed("get", "service", "maille-gateway-same-namespace", "-n", Infra, "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        var routes = kubectl.Succeed("get", "httproutes", "-n", Infra);
        var refused = kubectl.Succeed("get", "httproute", "refgrant", "-n", Infra, "-o", "jsonpath={.status.parents[0].conditions[?(@.type==\"ResolvedRefs\")].reason}");
        var attached = kubectl.Succeed("get", "gateway", "same-namespace", "-n", Infra, "-o", "jsonpath={.status.listeners[0].attachedRoutes}");
        var proxies = kubectl.Succeed("get", "pods", "-n", Infra, "-l", "app.kubernetes.io/managed-by=maille-gateway", "-o", "jsonpath={.items[*].status.phase}");

        Assert.Contains("gatewayclass.gateway.networking.k8s.io/maille created", lab.ApplyOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\s*\nmaille\s+maille\.dev/gateway-controller\s+True\s", classes);
        Assert.Equal("True", accepted);
        Assert.Matches(@"(?m)^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE", gateways);
        Assert.Matches($@"(?m)^same-namespace\s+maille\s+{System.Text.RegularExpressions.Regex.Escape(lab.Plain.ToString())}\s+True\s", gateways);
        Assert.Equal(lab.Plain.ToString(), service);
        Assert.Matches(@"(?m)^matching\s+\[""matching\.example""\]\s", routes);
        Assert.Equal("RefNotPermitted", refused);
        Assert.Equal("11", attached); // every route of GatewayProxyWorld but the secure Gateway's
        Assert.Equal(["Running", "Running", "Running", "Running"], proxies.Split(' '));
    }

    [SkippableFact]
    public void Kubectl_apply_of_a_gateway_breaking_a_CEL_rule_of_the_CRD_is_refused_in_its_words_and_nothing_is_created()
    {
        var lab = fixture.Lab;
        var kubectl = new Kubectl(lab.Lab, output);
        var file = lab.Lab.File("duplicate-listeners.yaml", $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: duplicate-listeners, namespace: {{Infra}}}
            spec:
              gatewayClassName: maille
              listeners:
              - {name: web, port: 80, protocol: HTTP, hostname: a.example}
              - {name: web, port: 8080, protocol: HTTP, hostname: b.example}
            """);

        var (exit, _, errors) = kubectl.Run("apply", "-f", file);
        var (found, _, notFound) = kubectl.Run("get", "gateway", "duplicate-listeners", "-n", Infra);

        Assert.NotEqual(0, exit);
        Assert.Contains("spec.listeners", errors, StringComparison.Ordinal);
        Assert.Contains("Listener name must be unique within the Gateway", errors, StringComparison.Ordinal);
        Assert.NotEqual(0, found);
        Assert.Contains("NotFound", notFound, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_route_is_written_with_every_kubectl_verb_a_cluster_takes_watched_throughout_and_leaves_no_trace_once_deleted()
    {
        var lab = fixture.Lab;
        var kubectl = new Kubectl(lab.Lab, output);
        string Route(string hostname) => $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: scratch, namespace: {{Infra}}}
            spec:
              parentRefs: [{name: same-namespace}]
              hostnames: [{{hostname}}]
              rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
            """;
        var file = lab.Lab.File("scratch-route.yaml", Route("scratch.example"));
        var replacement = lab.Lab.File("scratch-route-replaced.yaml", Route("replaced.example"));
        string Get(string path) => kubectl.Succeed("get", "httproute", "scratch", "-n", Infra, "-o", $"jsonpath={path}");

        // A watch of the namespace's HTTPRoutes sees every write below, as a watch of any other kind would.
        var watch = Task.Run(() => kubectl.Run("get", "--raw", $"/apis/gateway.networking.k8s.io/v1/namespaces/{Infra}/httproutes?watch=true&timeoutSeconds=10"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var dryRun = kubectl.Succeed("apply", "--dry-run=server", "-f", file);
        var (notYet, _, _) = kubectl.Run("get", "httproute", "scratch", "-n", Infra);
        kubectl.Succeed("apply", "--server-side", "--field-manager=scratch-test", "-f", file);
        var accepted = Get("{.status.parents[0].conditions[?(@.type==\"Accepted\")].status}");
        kubectl.Succeed("label", "httproute", "scratch", "-n", Infra, "team=web");
        kubectl.Succeed("patch", "httproute", "scratch", "-n", Infra, "--type=json", "-p", """[{"op": "replace", "path": "/spec/hostnames/0", "value": "patched.example"}]""");
        var patched = (Get("{.metadata.labels.team}"), Get("{.spec.hostnames[0]}"), Get("{.metadata.generation}"));
        var managers = Get("{.metadata.managedFields[*].manager}");
        kubectl.Succeed("replace", "-f", replacement);
        var replaced = (Get("{.spec.hostnames[0]}"), Get("{.metadata.labels.team}"), Get("{.metadata.generation}"));
        kubectl.Succeed("delete", "httproute", "scratch", "-n", Infra);
        var (gone, _, notFound) = kubectl.Run("get", "httproute", "scratch", "-n", Infra);
        var events = (await watch).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => System.Text.Json.Nodes.JsonNode.Parse(e)!)
            .Where(e => (string?)e["object"]!["metadata"]!["name"] == "scratch")
            .ToList();

        Assert.Contains("(server dry run)", dryRun, StringComparison.Ordinal);
        Assert.NotEqual(0, notYet);
        Assert.Equal("True", accepted);
        Assert.Equal(("web", "patched.example", "2"), patched);
        Assert.Contains("scratch-test", managers, StringComparison.Ordinal);
        Assert.Equal(("replaced.example", "", "3"), replaced); // a replace writes the whole object: the label is gone
        Assert.NotEqual(0, gone);
        Assert.Contains("NotFound", notFound, StringComparison.Ordinal);
        Assert.Equal("ADDED", (string?)events[0]["type"]);
        Assert.Equal("DELETED", (string?)events[^1]["type"]);
        Assert.All(events[1..^1], e => Assert.Equal("MODIFIED", (string?)e["type"]));
        Assert.Contains(events, e => (string?)e["object"]!["metadata"]!["labels"]?["team"] == "web");
        Assert.Contains(events, e => (string?)e["object"]!["spec"]!["hostnames"]![0] == "patched.example");
        Assert.Contains(events, e => (string?)e["object"]!["spec"]!["hostnames"]![0] == "replaced.example" && (string?)e["type"] == "MODIFIED");
    }

    [SkippableFact]
    public async Task Paths_and_headers_are_matched_and_unmatched_invalid_and_empty_backends_answer_404_500_and_503()
    {
        using var http = fixture.Lab.ToPlain();

        Assert.Equal("infra-backend-v1", Backend(await GetAsync(http, "http://matching.example/")));
        Assert.Equal("infra-backend-v2", Backend(await GetAsync(http, "http://matching.example/v2/example")));
        Assert.Equal("infra-backend-v1", Backend(await GetAsync(http, "http://matching.example/v2example")));
        Assert.Equal("infra-backend-v2", Backend(await GetAsync(http, "http://matching.example/", ("Version", "two"))));
        Assert.Equal(404, (await GetAsync(http, "http://nothing.example/")).Status);
        Assert.Equal(500, (await GetAsync(http, "http://refgrant.example/")).Status);
        Assert.Equal(503, (await GetAsync(http, "http://empty.example/")).Status);
    }

    [SkippableFact]
    public async Task Backends_are_drawn_by_weight_and_weight_0_gets_nothing()
    {
        using var http = fixture.Lab.ToPlain();
        var backends = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            backends.Add(Backend(await GetAsync(http, "http://weights.example/")));
        }

        // 70/30 of 100: v1 is 70 ± 4.6 (one standard deviation); 45..95 is more than five either side.
        var v1 = backends.Count(b => b == "infra-backend-v1");
        Assert.InRange(v1, 45, 95);
        Assert.Equal(100 - v1, backends.Count(b => b == "infra-backend-v2"));
    }

    [SkippableFact]
    public async Task Redirect_rewrite_and_header_modifiers_reach_the_backend_and_the_client_as_the_filters_say()
    {
        using var http = fixture.Lab.ToPlain();

        var redirect = await GetAsync(http, "http://redirect.example/some/path");
        var rewrite = await GetAsync(http, "http://rewrite.example/prefix/one/two");
        var headers = await GetAsync(http, "http://headers.example/", ("X-Test-Set", "client"), ("X-Test-Remove", "client"));
        var received = headers.Json!["headers"]!.AsObject().ToDictionary(h => h.Key.ToLowerInvariant(), h => (string?)h.Value);

        Assert.Equal(301, redirect.Status);
        Assert.Equal("http://example.org/some/path", redirect.Location);
        Assert.Equal("/one/two", (string?)rewrite.Json!["path"]);
        Assert.Equal("one.example", (string?)rewrite.Json["host"]);
        Assert.Equal("set", received["x-test-set"]);
        Assert.Equal("added", received["x-test-add"]);
        Assert.False(received.ContainsKey("x-test-remove"));
        Assert.Equal("yes", headers.ResponseHeader);
    }

    [SkippableFact]
    public async Task Https_listeners_present_the_certificate_the_SNI_names()
    {
        var lab = fixture.Lab;
        using var http = lab.ToSecure();

        var a = await http.GetAsync("https://a.example/x");
        var b = await http.GetAsync("https://b.example/x");

        Assert.Equal(200, a.Status);
        Assert.Equal(lab.ThumbprintA, a.Certificate?.Thumbprint);
        Assert.StartsWith($"{Infra}/infra-backend-v1", (string?)JsonNode.Parse(a.Body)!["pod"], StringComparison.Ordinal);
        Assert.Equal(200, b.Status);
        Assert.Equal(lab.ThumbprintB, b.Certificate?.Thumbprint);
    }

    [SkippableFact]
    public async Task A_route_patched_under_load_fails_no_request_and_drops_no_connection()
    {
        var lab = fixture.Lab;
        using var plain = lab.ToPlain();
        using var secure = lab.ToSecure();
        const int Workers = 4;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var counts = new int[Workers];
        using var stop = new CancellationTokenSource();

        // Keep-alive clients, two on timeout.example (the route patched: infra-backend-v1, then v2) and two on
        // https://a.example (unchanged: v1), one connection each, while kubectl patches the route.
        async Task Load(int worker)
        {
            var (http, url) = worker < 2 ? (plain, "http://timeout.example/item") : (secure, "https://a.example/item");
            using var client = new HttpClient(http.Handler()) { Timeout = TimeSpan.FromSeconds(10) };
            while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                try
                {
                    using var response = await client.GetAsync(url);
                    var body = await response.Content.ReadAsStringAsync();
                    var backend = response.StatusCode == HttpStatusCode.OK ? Backend(new Reply(200, JsonNode.Parse(body), null, null)) : body;
                    if (backend is not "infra-backend-v1" && !(worker < 2 && backend is "infra-backend-v2"))
                    {
                        failures.Enqueue($"{url}: {(int)response.StatusCode} {body}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures.Enqueue($"{url}: {e.Message}");
                }

                counts[worker]++;
            }
        }

        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Load(w))).ToArray();
        var going = await Poll.UntilAsync("every client has made 20 requests", () => Task.FromResult(counts.All(c => c >= 20)), output);
        Assert.True(going.Met, "the load never got going: " + going);
        new Kubectl(lab.Lab, output).Succeed("patch", "httproute", "timeout", "-n", Infra, "--type=merge",
            "-p", """{"spec":{"rules":[{"backendRefs":[{"name":"infra-backend-v2","port":8080}]}]}}""");
        var switched = await Poll.UntilAsync("timeout.example goes to infra-backend-v2",
            async () => Backend(await GetAsync(plain, "http://timeout.example/")) == "infra-backend-v2", output);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        output.WriteLine($"{counts.Sum()} requests by {Workers} keep-alive clients; failures: {failures.Count}; connections {plain.Connections + secure.Connections}");

        Assert.True(switched.Met, switched.ToString());
        Assert.Empty(failures);
        Assert.True(DateTime.UtcNow < deadline, "the load ran into its time bound");
        Assert.Equal(Workers + switched.Attempts.Count, plain.Connections + secure.Connections); // each poll opened one; the load's stayed open
    }

    private sealed record Reply(int Status, JsonNode? Json, string? Location, string? ResponseHeader);

    /// <summary>A GET through the Gateway on a connection of its own, with <paramref name="headers"/>.</summary>
    private static async Task<Reply> GetAsync(NamespaceHttp http, string url, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient(http.Handler()) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(
            (int)response.StatusCode,
            response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body) : null,
            response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("X-Test-Response", out var values) ? values.Single() : null);
    }

    /// <summary>The backend Service whose pod answered (its pods are named SERVICE-N), or the status.</summary>
    private static string Backend(Reply reply) =>
        reply.Status == 200 ? ((string)reply.Json!["pod"]!).Split('/')[1][..^2] : reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
