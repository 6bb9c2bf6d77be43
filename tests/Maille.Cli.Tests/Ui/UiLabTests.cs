using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.TestKit;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Maille.Cli.Tests.Ui;

// Privileged: `maille ui --lab` on a running lab (UiPlaygroundLab: the playground's pods, namespace z closed to
// ingress), brought up once for the class and taken down at the end. Traffic only between the lab's own pods.
[SupportedOSPlatform("linux")]
[Collection(Chromium.Collection)]
public sealed class UiLabTests(UiPlaygroundLab playground, Chromium chromium, ITestOutputHelper output) : IClassFixture<UiPlaygroundLab>
{
    [SkippableFact]
    public async Task On_a_lab_the_page_reads_its_api_and_streams_its_flows()
    {
        var (lab, server) = await playground.Serve();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = server.Address };
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(server.LoginAddress)).StatusCode);

        var topology = JsonNode.Parse(await client.GetStringAsync("api/topology"))!;
        Assert.Equal("lab", (string?)topology["mode"]);
        var pods = topology["pods"]!.AsArray().Where(p => ((string)p!["namespace"]!).Length == 1).ToList();
        Assert.Equal(["x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"], pods.Select(p => (string)p!["name"]!).Order());
        var target = (string)pods.Single(p => (string)p!["name"]! == "x/a")!["ip"]!;

        var trace = JsonNode.Parse(await client.GetStringAsync("api/trace?from=y/b&to=x/a:80"))!;
        Assert.Equal("allowed", (string?)trace["verdict"]);

        var whatIf = JsonNode.Parse(await (await client.PostAsync("api/whatif", new StringContent(File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios", "deny-all-ingress.yaml"))))).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)whatIf["exitCode"]!);
        Assert.Contains("lost", (string)whatIf["stdout"]!, StringComparison.Ordinal);

        // The flows stream starts with the first flow: read it while y/a calls x/a (a few tries, the first may race
        // the stream's start).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reading = Task.Run(async () =>
        {
            using var response = await client.GetAsync("api/flows?from=y/a&verdict=allowed", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await lines.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is { } flow && (string?)flow["kind"] == "Flow")
                {
                    return flow;
                }
            }

            throw new InvalidOperationException("the flows stream ended without a flow");
        });
        for (var attempt = 0; attempt < 10 && !reading.IsCompleted; attempt++)
        {
            lab.Exec("y/a", "curl", "-s", "-m", "2", $"http://{target}:80/hostname");
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        var seen = await reading;
        output.WriteLine(seen.ToJsonString());
        Assert.Equal("y/a", (string?)seen["from"]);
        Assert.Equal("x/a", (string?)seen["to"]);
        Assert.Equal("allowed", (string?)seen["verdict"]);
    }

    [SkippableFact]
    public async Task The_live_flows_panel_lists_the_lab_s_flows_as_its_filters_select()
    {
        var (lab, server) = await playground.Serve();
        var xa = PodIP(lab, "x", "a");
        var za = PodIP(lab, "z", "a");
        var page = await chromium.NewPage();
        await page.GotoAsync(server.LoginAddress.ToString());
        await page.Locator("#graph[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#flows-panel")).ToBeVisibleAsync();

        // From y/a, allowed only: y/a → x/a is listed; y/b → x/a (another source) and y/a → z/a (dropped) are not.
        await Watch(page, from: "y/a", to: "", verdict: "allowed");
        var allowed = await RowsOnceListed(page, "allowed", () =>
        {
            lab.Exec("y/b", "curl", "-s", "-m", "2", $"http://{xa}:80/hostname");
            lab.Exec("y/a", "curl", "-s", "-m", "1", $"http://{za}:80/hostname");
            lab.Exec("y/a", "curl", "-s", "-m", "2", $"http://{xa}:80/hostname");
        });
        Assert.Contains(allowed, r => r.To == "x/a" && r.Port == "80/TCP");
        Assert.All(allowed, r => Assert.Equal(("allowed", "y/a", "allowed"), (r.Class, r.From, r.Verdict)));

        // To namespace z, dropped only: y/a → z/a is listed with z's default deny as the rule; y/a → x/a is not.
        await Watch(page, from: "", to: "z/", verdict: "dropped");
        var dropped = await RowsOnceListed(page, "dropped", () =>
        {
            lab.Exec("y/a", "curl", "-s", "-m", "2", $"http://{xa}:80/hostname");
            lab.Exec("y/a", "curl", "-s", "-m", "1", $"http://{za}:80/hostname");
        });
        Assert.Contains(dropped, r => r.From == "y/a" && r.To == "z/a" && r.Rule.StartsWith("default deny of z/deny-all-ingress", StringComparison.Ordinal));
        Assert.All(dropped, r => Assert.Equal(("dropped", "dropped"), (r.Class, r.Verdict)));
        Assert.All(dropped, r => Assert.StartsWith("z/", r.To, StringComparison.Ordinal));
        await Chromium.Screenshot(page, "live-flows");
    }

    private sealed record FlowRow(string Class, string From, string To, string Port, string Verdict, string Rule);

    private static string PodIP(LiveLab lab, string ns, string name) => (string)lab.Get("pod", name, "-n", ns)["status"]!["podIP"]!;

    /// <summary>Fills the panel's filters and presses Watch: the table is emptied and a new stream opened.</summary>
    private static async Task Watch(IPage page, string from, string to, string verdict)
    {
        await page.FillAsync("#flows-form input[name=from]", from);
        await page.FillAsync("#flows-form input[name=to]", to);
        await page.SelectOptionAsync("#flows-form select[name=verdict]", verdict);
        await page.ClickAsync("#flows-form button");
    }

    /// <summary>
    /// Makes traffic (a few rounds, the first may race the stream's start) until a row of the verdict is in the
    /// table, then returns the table's flow rows (lines of other kinds, such as Lost, aside).
    /// </summary>
    private async Task<List<FlowRow>> RowsOnceListed(IPage page, string verdict, Action traffic)
    {
        var listed = page.Locator($"#flows tbody tr.{verdict}");
        for (var round = 0; round < 10 && await listed.CountAsync() == 0; round++)
        {
            traffic();
            try
            {
                await listed.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 2_000 });
            }
            catch (TimeoutException)
            {
                output.WriteLine($"round {round}: no {verdict} row yet");
            }
        }

        var cells = await page.EvaluateAsync<string[][]>(
            "Array.from(document.querySelectorAll('#flows tbody tr')).map(r => [r.className, ...Array.from(r.cells).map(c => c.textContent)])");
        foreach (var row in cells)
        {
            output.WriteLine(string.Join(" | ", row));
        }

        // Cells: time, node, from, to, service, port, verdict, rule (ui/src/main.ts).
        var rows = cells.Where(c => c[0] is "allowed" or "dropped").Select(c => new FlowRow(c[0], c[3], c[4], c[6], c[7], c[8])).ToList();
        Assert.NotEmpty(rows);
        return rows;
    }
}
