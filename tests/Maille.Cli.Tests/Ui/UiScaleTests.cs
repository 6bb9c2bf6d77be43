using System.Diagnostics;
using Maille.Cli.Ui;
using Maille.TestKit;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// The page at scale, in headless chromium: generated clusters (<see cref="GeneratedLab"/>: pods on 10 or 50 nodes,
/// only front pods may reach back pods), timed from the address opened to the graph drawn. Past
/// <c>foldAbove</c> pods (ui/src/graph.ts) the graph starts folded: one box per namespace on each node.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class UiScaleTests(Chromium chromium, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_1000_pod_cluster_is_drawn_folded_and_its_first_render_is_timed()
    {
        using var lab = GeneratedLab.Write(nodes: 10, podsPerNode: 100, backOnlyFromFront: true);
        await using var server = await Serve(lab);
        var page = await chromium.NewPage();

        var clock = Stopwatch.StartNew();
        await page.GotoAsync(server.LoginAddress.ToString());
        var graph = page.Locator("#graph");
        await page.Locator("#graph[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var firstRender = clock.Elapsed;
        await page.Locator("#heatmap[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var withMatrix = clock.Elapsed;

        var inPage = await graph.GetAttributeAsync("data-render-ms");
        output.WriteLine($"1,000 pods: graph drawn {firstRender.TotalMilliseconds:F0} ms after the address was opened ({inPage} ms of it in the page: fetch, layout, draw); heatmap ready at {withMatrix.TotalMilliseconds:F0} ms");
        // Every pod is on the graph, in one folded box per node (all pods are in namespace default).
        Assert.Equal("1000", await graph.GetAttributeAsync("data-pods"));
        Assert.Equal("10", await graph.GetAttributeAsync("data-groups"));
        Assert.Equal("0", await graph.GetAttributeAsync("data-drawn-pods"));
        Assert.Equal("1000", await page.Locator("#heatmap").GetAttributeAsync("data-pods"));
        await Chromium.Screenshot(page, "scale-1000-pods");

        // Finding a pod unfolds its node's box: its 100 pods drawn one by one, the other 900 still in 9 boxes.
        var asked = clock.Elapsed;
        await page.FillAsync("#pod-form input[name=pod]", "default/p3-7");
        await page.ClickAsync("#pod-form button[type=submit]");
        await page.Locator("#graph[data-ready=true][data-drawn-pods='100']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        output.WriteLine($"default/p3-7 found: its node's 100 pods drawn in {(clock.Elapsed - asked).TotalMilliseconds:F0} ms");
        Assert.Equal(("1000", "9"), (await graph.GetAttributeAsync("data-pods"), await graph.GetAttributeAsync("data-groups")));
        await Chromium.Screenshot(page, "scale-1000-pods-one-node-unfolded");
        // No bound on the time here: the 2 s goal (issue 20) is a benchmark's, run on a quiet machine and recorded in
        // docs/benchmarks.md; a bound on a shared CI machine only fails when the machine is busy.
    }

    [SkippableFact]
    public async Task The_heatmap_of_5000_pods_draws_on_one_canvas_and_finds_any_cell()
    {
        using var lab = GeneratedLab.Write(nodes: 50, podsPerNode: 100, backOnlyFromFront: true);
        await using var server = await Serve(lab);
        var page = await chromium.NewPage();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(server.LoginAddress.ToString());
        await page.Locator("#graph[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
        var graphDrawn = clock.Elapsed;
        await page.Locator("#heatmap[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
        output.WriteLine($"5,000 pods: graph drawn at {graphDrawn.TotalMilliseconds:F0} ms, heatmap ready at {clock.Elapsed.TotalMilliseconds:F0} ms after the address was opened");
        Assert.Equal(("5000", "50"), (await page.Locator("#graph").GetAttributeAsync("data-pods"), await page.Locator("#graph").GetAttributeAsync("data-groups")));

        Assert.Equal("5000", await page.Locator("#heatmap").GetAttributeAsync("data-pods"));
        var elements = await page.EvaluateAsync<int>("document.querySelectorAll('*').length");
        output.WriteLine($"elements in the page: {elements}");
        Assert.True(elements < 500, $"the page holds {elements} elements: the heatmap is not virtualized");

        // A cell far down and across: back pod p50-100 → back pod p1-2, denied (only front pods may reach back pods),
        // and front p50-99 → back p1-2, allowed; the engine says the same.
        foreach (var (from, to, allowed) in new[] { ("default/p50-100", "default/p1-2", false), ("default/p50-99", "default/p1-2", true) })
        {
            await page.FillAsync("#cell-form input[name=from]", from);
            await page.FillAsync("#cell-form input[name=to]", to);
            var chosen = clock.Elapsed;
            await page.ClickAsync("#cell-form button");
            var info = page.Locator($"#cell-info[data-from='{from}'][data-to='{to}']");
            await info.WaitForAsync();
            output.WriteLine($"{from} → {to}: shown in {(clock.Elapsed - chosen).TotalMilliseconds:F0} ms");
            Assert.Equal(allowed ? "true" : "false", await info.GetAttributeAsync("data-allowed"));
        }

        await Chromium.Screenshot(page, "scale-5000-pods");
    }

    private static async Task<UiServer> Serve(GeneratedLab lab)
    {
        using var stderr = new StringWriter();
        var source = FileUiSource.Load([lab.PodsFile], lab.ConfigFile, new CliContext(TextReader.Null, TextWriter.Null, stderr))
            ?? throw new InvalidOperationException("the generated cluster does not plan: " + stderr);
        return await UiServer.StartAsync(source, port: 0);
    }
}
