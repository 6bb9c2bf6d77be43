using System.Net;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Maille.Cli.Ui;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Cli.Tests.Ui;

// Privileged: `maille ui --lab` on a running lab of the playground's pods (namespaces x, y, z with pods a, b, c, no
// policy), brought up by `maille up` and taken down at the end. Traffic only between the lab's own pods.
[SupportedOSPlatform("linux")]
public sealed class UiLabTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task On_a_lab_the_page_reads_its_api_and_streams_its_flows()
    {
        Privileged.Require();
        using var lab = LiveLab.Up(Fixtures.PlaygroundPods, output);
        var kubeconfig = Path.Combine(lab.Folder, "ui.kubeconfig");
        using var stderr = new StringWriter();
        var source = LabUiSource.Connect(lab.Name, kubeconfig, new CliContext(TextReader.Null, TextWriter.Null, stderr))
            ?? throw new InvalidOperationException("maille ui cannot reach the lab: " + stderr);
        await using var server = await UiServer.StartAsync(source, port: 0);
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
}
