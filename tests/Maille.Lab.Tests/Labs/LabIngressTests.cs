using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Api;
using Maille.Lab.Labs;
using Maille.Lab.Probing;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.Labs;

// Privileged: Maille's Ingress controller in a running lab (one lab for the whole class, see IngressLab for its
// objects), reached with real HTTP(S) from the external client (198.18.0.2) through the controller Service's
// LoadBalancer address, and from a pod through its ClusterIP.
public sealed class LabIngressTests(IngressLabFixture fixture, ITestOutputHelper output) : IClassFixture<IngressLabFixture>
{
    private const string DefaultCertificateSubject = "CN=Maille Ingress Controller Default Certificate, O=Maille";

    [SkippableFact]
    public async Task Every_Ingress_shows_the_controller_s_LoadBalancer_address_in_get_and_in_the_lab_API()
    {
        var lab = fixture.Lab;

        var table = MailleProcess.Run("get", "ingress", "-n", IngressLab.Namespace, "--lab", lab.Name);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches($@"\nsite\s+<none>\s+shop\.example\s+{Regex(lab.Address)}\s+80, 443\s", table.Stdout);
        Assert.Matches($@"\nguarded\s+<none>\s+guarded\.example\s+{Regex(lab.Address)}\s+80\s", table.Stdout);
        Assert.Equal(lab.Address.ToString(), (string?)lab.Get("ingress", "blog", "-n", IngressLab.Namespace)["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);

        using var api = new LabApiClient(new LabState(lab.Name).ApiSocket);
        var (status, list) = await api.SendAsync(HttpMethod.Get, "/apis/networking.k8s.io/v1/ingresses", null);
        Assert.Equal(200, status);
        Assert.All(list!["items"]!.AsArray(), i => Assert.Equal(lab.Address.ToString(), (string?)i!["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]));
    }

    [SkippableFact]
    public void Its_Ingresses_read_back_converted_to_Gateway_API_and_applied_answer_every_request_as_the_Ingress_controller_does()
    {
        var lab = fixture.Lab;
        var kubectl = lab.Kubectl(output);
        var input = lab.File("convert-input.yaml", kubectl.Succeed("get", "namespaces,services,ingresses,ingressclasses,secrets", "-A", "-o", "yaml"));
        var convert = MailleProcess.Run("convert", "ingress-to-gateway", "-f", input, "--gateway", $"{IngressLab.Namespace}/converted");
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        var converted = lab.File("converted.yaml", convert.Stdout);
        try
        {
            kubectl.Succeed("apply", "-f", converted);
            var address = IPAddress.None;
            for (var waited = Stopwatch.StartNew(); address.Equals(IPAddress.None) && waited.Elapsed < TimeSpan.FromSeconds(15); Thread.Sleep(200))
            {
                var value = kubectl.Succeed("get", "gateway", "converted", "-n", IngressLab.Namespace, "-o", "jsonpath={.status.addresses[0].value}");
                address = value.Length > 0 ? IPAddress.Parse(value) : IPAddress.None;
            }

            Assert.NotEqual(IPAddress.None, address);
            // Not guarded.example: a kept-alive connection from a controller pod to it would outlive the NetworkPolicy
            // that A_NetworkPolicy_on_a_backend_blocks_… applies later (established connections stay allowed).
            (string Host, string Path)[] requests =
            [
                ("shop.example", "/"), ("shop.example", "/api"), ("shop.example", "/api/items?page=2"), ("shop.example", "/apix"),
                ("shop.example", "/gone"), ("shop.example", "/gone/deeper"), ("blog.example", "/api/items"),
                ("live.example", "/api/x"), ("other.example", "/"),
            ];
            var answers = requests.Select(r => (
                Request: $"{r.Host}{r.Path}",
                Ingress: Answer(lab.Curl("external", lab.Address, r.Host, r.Path)),
                Gateway: Answer(lab.Curl("external", address, r.Host, r.Path)))).ToList();
            foreach (var answer in answers)
            {
                output.WriteLine($"{answer.Request}: Ingress {answer.Ingress}, Gateway {answer.Gateway}");
            }

            Assert.All(answers, a => Assert.True(a.Ingress == a.Gateway, $"{a.Request}: Ingress {a.Ingress}, Gateway {a.Gateway}"));
            Assert.Equal(("200", "shop/api"), answers[2].Gateway); // the comparison is of working routes, not of two failures
            Assert.Equal(("503", null), answers[4].Gateway);
            Assert.Equal(("404", null), answers[^1].Gateway);
        }
        finally
        {
            kubectl.Run("delete", "-f", converted);
        }

        // The status, and for a 200 the pod that answered (the two controllers word their refusals differently).
        static (string Status, string? Pod) Answer((string Status, string Body) curl) => (curl.Status, curl.Status == "200" ? Pod(curl.Body) : null);
    }

    [SkippableFact]
    public void From_outside_curl_reaches_backends_by_host_and_path_through_the_LoadBalancer_address()
    {
        var lab = fixture.Lab;

        var root = lab.Curl("external", lab.Address, "shop.example", "/");
        var api = lab.Curl("external", lab.Address, "shop.example", "/api/items?page=2");
        var blog = lab.Curl("external", lab.Address, "blog.example", "/api/items");

        Assert.Equal(("200", "shop/web"), (root.Status, Pod(root.Body)));
        Assert.Equal(("200", "shop/api"), (api.Status, Pod(api.Body)));
        var seen = JsonNode.Parse(api.Body)!;
        Assert.Equal(("/api/items", "page=2"), ((string?)seen["path"], (string?)seen["query"])); // upstream path unchanged
        Assert.Contains(((string)seen["clientIP"]!).Split(':')[0], lab.ControllerPods);
        Assert.Equal(("shop.example", "http"), ((string?)seen["headers"]!["X-Forwarded-Host"], (string?)seen["headers"]!["X-Forwarded-Proto"]));
        Assert.Equal("shop/api", Pod(blog.Body)); // same path, other host, other backend
        Assert.Equal("404", lab.Curl("external", lab.Address, "other.example", "/").Status);
        Assert.Equal("shop/web", Pod(lab.Curl("external", lab.Address, "shop.example", "/gone/deeper").Body)); // Exact /gone only
    }

    [SkippableFact]
    public void From_a_pod_the_controller_s_ClusterIP_routes_the_same_and_backends_see_a_controller_pod()
    {
        var lab = fixture.Lab;

        var api = lab.Curl("shop/client", lab.ClusterIP, "shop.example", "/api/items?x=1");

        Assert.Equal(("200", "shop/api"), (api.Status, Pod(api.Body)));
        Assert.Contains(((string)JsonNode.Parse(api.Body)!["clientIP"]!).Split(':')[0], lab.ControllerPods);
        Assert.Equal("shop/web", Pod(lab.Curl("shop/client", lab.ClusterIP, "shop.example", "/").Body));
    }

    [SkippableFact]
    public async Task Https_presents_the_certificate_the_SNI_names_and_routes_by_the_Host_header()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();

        var shop = await outside.GetAsync("https://shop.example/api/x");
        var blog = await outside.GetAsync("https://blog.example/x");
        var unknown = await outside.GetAsync("https://unknown.example/x");
        var crossed = await outside.GetOverTlsAsync(serverName: "shop.example", host: "blog.example", "/x");

        Assert.Equal((200, "shop/api"), (shop.Status, Pod(shop.Body)));
        Assert.Equal(("CN=shop.example", lab.Thumbprints["shop-tls"]), (shop.Certificate!.Subject, shop.Certificate.Thumbprint));
        Assert.Equal((200, "shop/api"), (blog.Status, Pod(blog.Body)));
        Assert.Equal(("CN=blog.example", lab.Thumbprints["blog-tls"]), (blog.Certificate!.Subject, blog.Certificate.Thumbprint));
        Assert.Equal((404, DefaultCertificateSubject), (unknown.Status, unknown.Certificate!.Subject));
        Assert.Equal("https", (string?)JsonNode.Parse(shop.Body)!["headers"]!["X-Forwarded-Proto"]);

        // SNI picks the certificate, Host picks the route.
        Assert.Equal((lab.Thumbprints["shop-tls"], "shop/api"), (crossed.Certificate!.Thumbprint, Pod(crossed.Body)));
    }

    [SkippableFact]
    public async Task Http2_is_agreed_by_ALPN_over_TLS_and_by_prior_knowledge_on_port_80()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();

        var tls = await outside.GetAsync("https://shop.example/api/h2", version: HttpVersion.Version20);
        var cleartext = await outside.GetAsync("http://shop.example/api/h2c", version: HttpVersion.Version20);

        Assert.Equal((200, HttpVersion.Version20, "shop/api"), (tls.Status, tls.Version, Pod(tls.Body)));
        Assert.Equal((200, HttpVersion.Version20, "shop/api"), (cleartext.Status, cleartext.Version, Pod(cleartext.Body)));
        Assert.Equal("HTTP/1.1", (string?)JsonNode.Parse(tls.Body)!["protocol"]); // the backend speaks HTTP/1.1
    }

    [SkippableFact]
    public async Task A_WebSocket_is_upgraded_through_the_controller_and_echoes_both_ways()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();
        using var invoker = new HttpMessageInvoker(outside.Handler());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        foreach (var url in new[] { "ws://shop.example/ws", "wss://shop.example/ws" })
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(url), invoker, timeout.Token);
            var buffer = new byte[256];
            for (var i = 0; i < 3; i++)
            {
                var message = $"{url} message {i}";
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                var received = await socket.ReceiveAsync(buffer, timeout.Token);
                Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, received.Count));
            }

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            Assert.Equal(WebSocketState.Closed, socket.State);
        }
    }

    [SkippableFact]
    public async Task A_backend_without_a_ready_endpoint_answers_503()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();

        // No pod at all behind gone; a pod whose readiness probe never passes behind sleepy (applied live).
        var gone = lab.Curl("external", lab.Address, "shop.example", "/gone");
        lab.Apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: sleepy, namespace: shop, labels: {app: sleepy}}
            spec:
              nodeName: node-1
              containers:
              - name: c
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {tcpSocket: {port: 9999}, periodSeconds: 1}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: sleepy, namespace: shop}
            spec: {selector: {app: sleepy}, ports: [{port: 80, targetPort: http}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: sleepy, namespace: shop}
            spec: {rules: [{host: sleepy.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: sleepy, port: {number: 80}}}}]}}]}
            """);
        var sleepy = await Poll.UntilAsync("the Ingress sleepy is served", () => outside.GetAsync("http://sleepy.example/"), a => a.Status != 404, output);
        Assert.True(sleepy.Met, "the Ingress sleepy was never served: " + sleepy);

        Assert.Equal("503", gone.Status);
        Assert.Contains("Service shop/gone has no ready endpoint for port 80", gone.Body, StringComparison.Ordinal);
        Assert.Equal(503, sleepy.Last.Status);
        Assert.Contains("Service shop/sleepy has no ready endpoint", sleepy.Last.Body, StringComparison.Ordinal);
        Assert.Contains("0/1", MailleProcess.Run("get", "pods", "sleepy", "-n", IngressLab.Namespace, "--lab", lab.Name).Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Ingresses_and_Secrets_applied_under_load_fail_no_request_and_drop_no_connection()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();
        const int Workers = 4;
        const int MaxRequestsPerWorker = 20_000;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var counts = new int[Workers];
        using var stop = new CancellationTokenSource();

        // Keep-alive clients on the routes that stay (live.example / → web, /api → api), HTTP and HTTPS, one
        // connection each, while the Ingress gains a path, its certificate is replaced and another Ingress appears.
        async Task Load(int worker)
        {
            var scheme = worker % 2 == 0 ? "http" : "https";
            var (path, pod) = worker < 2 ? ("/shop/item", "shop/web") : ("/api/item", "shop/api");
            using var client = new HttpClient(outside.Handler()) { Timeout = TimeSpan.FromSeconds(10) };
            while (!stop.IsCancellationRequested && counts[worker] < MaxRequestsPerWorker && DateTime.UtcNow < deadline)
            {
                try
                {
                    using var response = await client.GetAsync($"{scheme}://live.example{path}?n={counts[worker]}");
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK || Pod(body) != pod)
                    {
                        failures.Enqueue($"{scheme} {path}: {(int)response.StatusCode} {body}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    failures.Enqueue($"{scheme} {path}: {e.Message}");
                }

                counts[worker]++;
            }
        }

        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Load(w))).ToArray();
        var going = await Poll.UntilAsync("every client has made 20 requests", () => Task.FromResult(counts.All(c => c >= 20)), output);
        Assert.True(going.Met, "the load never got going: " + going);
        var connectionsBefore = outside.Connections;
        var changes = Stopwatch.StartNew();
        var (secret, newThumbprint) = IngressLab.TlsSecret("live-tls", "live.example");
        lab.Apply(IngressLab.LiveIngress("{path: /v2, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}"));
        lab.Apply(secret);
        lab.Apply("""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: extra, namespace: shop}
            spec: {rules: [{host: extra.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
            """);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var total = counts.Sum();
        output.WriteLine($"{total} requests by {Workers} keep-alive clients while 3 changes were applied in {changes.ElapsedMilliseconds} ms; failures: {failures.Count}; connections {connectionsBefore} before, {outside.Connections} after");

        Assert.Empty(failures);
        Assert.True(DateTime.UtcNow < deadline, "the load ran into its time bound; the changes took too long to apply");
        Assert.Equal(Workers, outside.Connections); // none dropped and reopened
        Assert.True(total >= Workers * 40, $"only {total} requests were made");

        // The changes took effect: the new path, the new certificate (on a new connection), the new Ingress.
        Assert.Equal("shop/api", Pod((await outside.GetAsync("http://live.example/v2/x")).Body));
        Assert.Equal(newThumbprint, (await outside.GetAsync("https://live.example/x")).Certificate!.Thumbprint);
        Assert.Equal("shop/web", Pod((await outside.GetAsync("http://extra.example/x")).Body));
    }

    [SkippableFact]
    public async Task A_NetworkPolicy_on_a_backend_blocks_the_controller_pods_until_a_rule_allows_them()
    {
        var lab = fixture.Lab;
        using var outside = lab.FromOutside();
        const string Isolate = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: guard, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: guarded}}
              policyTypes: [Ingress]

            """;
        const string AllowController = """
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: maille-system}}
                  podSelector: {matchLabels: {app.kubernetes.io/name: maille-ingress}}
            """;
        Assert.Equal(200, (await outside.GetAsync("http://guarded.example/")).Status);

        lab.Apply(Isolate);
        var blocked = await Poll.UntilAsync("guarded.example is no longer served", () => outside.GetAsync("http://guarded.example/"), a => a.Status != 200, output);
        Assert.True(blocked.Met, "the controller still reached the isolated backend: " + blocked);
        Assert.Equal(502, blocked.Last.Status); // no connection to the only endpoint could be made

        lab.Apply(Isolate + AllowController);
        var allowed = await Poll.UntilAsync("guarded.example is served again", () => outside.GetAsync("http://guarded.example/"), a => a.Status == 200, output);
        Assert.True(allowed.Met, "the controller never reached the backend once its pods were allowed: " + allowed);
        Assert.Equal("shop/guarded", Pod(allowed.Last.Body));
        Assert.Contains(((string)JsonNode.Parse(allowed.Last.Body)!["clientIP"]!).Split(':')[0], lab.ControllerPods);

        // The rule allows the controller, not everyone: the client pod still cannot reach the backend directly.
        var guardedIP = IPAddress.Parse((string)lab.Get("pod", "guarded", "-n", IngressLab.Namespace)["status"]!["podIP"]!);
        using var client = NetworkNamespace.Open(LabNames.Pod(lab.Name, "shop/client"));
        Assert.ThrowsAny<Exception>(() => LabHttp.Get(client, guardedIP, 8080, "/hostname", TimeSpan.FromSeconds(1)));
    }

    private static string? Pod(string body)
    {
        try
        {
            return (string?)JsonNode.Parse(body)?["pod"];
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static string Regex(IPAddress address) => System.Text.RegularExpressions.Regex.Escape(address.ToString());
}
