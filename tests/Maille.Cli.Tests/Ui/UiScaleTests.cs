using System.Diagnostics;
using Maille.Cli.Ui;
using Maille.TestKit;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// The page at scale, in headless chromium: generated clusters (<see cref="GeneratedLab"/>: pods on 10 or 50 nodes,
/// only front pods may reach back pods), timed from the address opened to the graph drawn.
/// </summary>
public sealed class UiScaleTests(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>
{
    [SkippableFact]
    public async Task A_1000_pod_cluster_is_drawn_whole_and_its_first_render_is_timed()
    {
        using var lab = GeneratedLab.Write(nodes: 10, podsPerNode: 100, backOnlyFromFront: true);
        await using var server = await Serve(lab);
        var page = await chromium.NewPage();

        var clock = Stopwatch.StartNew();
        await page.GotoAsync(server.LoginAddress.ToString());
        await page.Locator("#graph[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var firstRender = clock.Elapsed;
        await page.Locator("#heatmap[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        var withMatrix = clock.Elapsed;

        var inPage = await page.Locator("#graph").GetAttributeAsync("data-render-ms");
        output.WriteLine($"1,000 pods: graph drawn {firstRender.TotalMilliseconds:F0} ms after the address was opened ({inPage} ms of it in the page: fetch, layout, draw); heatmap ready at {withMatrix.TotalMilliseconds:F0} ms");
        Assert.Equal("1000", await page.Locator("#graph").GetAttributeAsync("data-pods"));
        Assert.Equal("1000", await page.Locator("#heatmap").GetAttributeAsync("data-pods"));
        await Chromium.Screenshot(page, "scale-1000-pods");
        // The goal is 2 s (issue 20); this bound only catches a page that stopped coping, on a shared 2-core machine.
        Assert.True(firstRender < TimeSpan.FromSeconds(20), $"the first render took {firstRender}");
    }

    [SkippableFact]
    public async Task The_heatmap_of_5000_pods_draws_on_one_canvas_and_finds_any_cell()
    {
        using var lab = GeneratedLab.Write(nodes: 50, podsPerNode: 100, backOnlyFromFront: true);
        await using var server = await Serve(lab);
        var page = await chromium.NewPage();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(server.LoginAddress.ToString());
        await page.Locator("#heatmap[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
        output.WriteLine($"5,000 pods: graph and heatmap ready {clock.Elapsed.TotalMilliseconds:F0} ms after the address was opened");

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
