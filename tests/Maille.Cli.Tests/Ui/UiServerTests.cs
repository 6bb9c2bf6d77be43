using System.Net;
using System.Text.Json.Nodes;
using Maille.Cli.Ui;

namespace Maille.Cli.Tests.Ui;

/// <summary>The server of <c>maille ui</c>: who may ask it, and that its JSON is the engine's.</summary>
public sealed class UiServerTests(ShopUi shop) : IClassFixture<ShopUi>
{
    [Fact]
    public void It_listens_on_the_loopback_address_only_with_a_long_random_token()
    {
        Assert.Equal("127.0.0.1", shop.Server.Address.Host);
        Assert.Matches("^[0-9a-f]{64}$", shop.Server.Token);
        Assert.Equal($"?token={shop.Server.Token}", shop.Server.LoginAddress.Query);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/api/topology")]
    [InlineData("/api/matrix")]
    [InlineData("/api/trace?from=a&to=b")]
    [InlineData("/no/such/page")]
    public async Task A_request_without_the_token_or_with_another_is_refused_401(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = shop.Server.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        var wrong = new string('0', shop.Server.Token.Length);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path + (path.Contains('?') ? "&" : "?") + "token=" + wrong)).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{UiServer.CookieName}={wrong}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_token_in_the_address_sets_a_strict_http_only_cookie_and_redirects_without_it()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = shop.Server.Address };
        var login = await client.GetAsync(shop.Server.LoginAddress);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{UiServer.CookieName}={shop.Server.Token};", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", $"{UiServer.CookieName}={shop.Server.Token}");
        var answer = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType!.MediaType);
        Assert.Contains("id=\"graph\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bundle_holds_the_built_page_and_its_scripts()
    {
        Assert.Contains("index.html", (IReadOnlySet<string>)UiBundle.Files);
        Assert.Contains(UiBundle.Files, f => f.StartsWith("assets/", StringComparison.Ordinal) && f.EndsWith(".js", StringComparison.Ordinal));

        using var client = await shop.LoggedInClient();
        var script = UiBundle.Files.First(f => f.EndsWith(".js", StringComparison.Ordinal));
        var answer = await client.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/javascript", answer.Content.Headers.ContentType!.MediaType);
        Assert.Contains("cytoscape", await answer.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_topology_lists_every_node_pod_service_and_ingress_of_the_plan_with_each_services_endpoints()
    {
        using var client = await shop.LoggedInClient();
        var topology = JsonNode.Parse(await client.GetStringAsync("api/topology"))!;

        Assert.Equal("files", (string?)topology["mode"]);
        Assert.Equal(shop.Planned.Nodes.Select(n => n.Name), topology["nodes"]!.AsArray().Select(n => (string)n!["name"]!));
        Assert.Equal(shop.Planned.Pods.Select(p => p.QualifiedName), topology["pods"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal(shop.Planned.Services.Select(s => s.QualifiedName), topology["services"]!.AsArray().Select(s => (string)s!["name"]!));
        Assert.Equal(shop.Planned.Ingresses.Count, topology["ingresses"]!.AsArray().Count);
        Assert.Contains(topology["services"]!.AsArray(), s => (string)s!["type"]! == "LoadBalancer");

        foreach (var service in topology["services"]!.AsArray())
        {
            var planned = shop.Planned.ServicesByName[(string)service!["name"]!];
            var endpoints = shop.Planned.SlicesFor(planned).SelectMany(s => s.Endpoints).Select(e => e.TargetPod).OfType<string>().Distinct().Order();
            Assert.Equal(endpoints, service["endpoints"]!.AsArray().Select(e => (string)e!).Order());
        }
    }

    [Fact]
    public async Task The_matrix_bitsets_hold_the_engines_verdict_for_every_cell_of_every_port()
    {
        using var client = await shop.LoggedInClient();
        var matrix = JsonNode.Parse(await client.GetStringAsync("api/matrix"))!;

        var pods = matrix["pods"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal(shop.Matrix.Pods.Select(p => p.QualifiedName), pods);
        Assert.Equal(shop.Matrix.Ports.Select(p => p.ToString()), matrix["ports"]!.AsArray().Select(p => (string)p!));
        var n = pods.Count;
        var differences = 0;
        for (var port = 0; port < shop.Matrix.Ports.Length; port++)
        {
            var bits = Convert.FromBase64String((string)matrix["allowed"]![port]!);
            for (var from = 0; from < n; from++)
            {
                for (var to = 0; to < n; to++)
                {
                    var bit = (from * n) + to;
                    differences += ((bits[bit >> 3] >> (bit & 7)) & 1) == 1 == shop.Matrix.IsAllowed(port, from, to) ? 0 : 1;
                }
            }
        }

        Assert.Equal(0, differences);
        var spans = matrix["namespaces"]!.AsArray();
        Assert.Equal(n, spans.Sum(s => (int)s!["count"]!));
        Assert.All(spans, s => Assert.All(pods.Skip((int)s!["start"]!).Take((int)s["count"]!), p => Assert.StartsWith((string)s["name"]! + "/", p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_verdict_names_the_isolating_policies_of_a_denied_cell()
    {
        using var client = await shop.LoggedInClient();
        var (from, to) = shop.Pair(allowed: false);
        var verdict = JsonNode.Parse(await client.GetStringAsync($"api/verdict?from={from}&to={to}&port={Uri.EscapeDataString(shop.Matrix.Ports[0].ToString())}"))!;

        Assert.False((bool)verdict["allowed"]!);
        Assert.StartsWith("denied: ", (string)verdict["reason"]!, StringComparison.Ordinal);
        Assert.Contains("isolated by", (string)verdict["reason"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/verdict?from=nobody/here&to={to}&port=80/TCP")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/verdict?from=a")).StatusCode);
    }

    [Fact]
    public async Task A_trace_is_the_trace_commands_json_and_a_bad_one_is_400_with_its_error()
    {
        using var client = await shop.LoggedInClient();
        var (from, _) = shop.Pair(allowed: true);
        var trace = JsonNode.Parse(await client.GetStringAsync($"api/trace?from={from}&to=api.shop-api:80"))!;
        Assert.NotNull(trace["verdict"]);
        Assert.Contains(trace["hops"]!.AsArray(), h => (string)h!["stage"]! == "service");

        var bad = await client.GetAsync("api/trace?from=nobody/here&to=api.shop-api:80");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("nobody/here", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_what_if_replaces_an_object_of_the_files_and_prints_the_connections_lost()
    {
        using var client = await shop.LoggedInClient();
        var answer = await client.PostAsync("api/whatif", new StringContent(ShopUi.DropPostgresAllow, System.Text.Encoding.UTF8, "application/yaml"));
        var view = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;

        Assert.Equal(1, (int)view["exitCode"]!);
        Assert.Contains("lost", (string)view["stdout"]!, StringComparison.Ordinal);
        Assert.Contains("shop-db/postgres", (string)view["stdout"]!, StringComparison.Ordinal);

        var broken = JsonNode.Parse(await (await client.PostAsync("api/whatif", new StringContent("kind: [", System.Text.Encoding.UTF8, "application/yaml"))).Content.ReadAsStringAsync())!;
        Assert.Equal(2, (int)broken["exitCode"]!);
        Assert.StartsWith("error: ", (string)broken["stderr"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_have_no_live_flows()
    {
        using var client = await shop.LoggedInClient();
        var answer = await client.GetAsync("api/flows?verdict=dropped");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("--lab", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/flows?verdict=maybe")).StatusCode);
    }
}
