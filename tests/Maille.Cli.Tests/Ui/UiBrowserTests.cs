using Microsoft.Playwright;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// <c>maille ui -f examples/shop</c> in a real browser (Debian's chromium, headless): the tests read the page's DOM and
/// its canvas and compare them with the engine's plan of the same files; each saves a screenshot.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class UiBrowserTests(ShopUi shop, Chromium chromium) : IClassFixture<ShopUi>
{
    /// <summary>The heatmap's colours (ui/src/heatmap.ts) as canvas pixels.</summary>
    private static readonly int[] Allowed = [0x43, 0xa0, 0x47];

    private static readonly int[] Denied = [0xe5, 0x39, 0x35];

    [SkippableFact]
    public async Task The_graph_draws_one_node_per_pod_and_service_loaded()
    {
        var page = await Open();

        var graph = page.Locator("#graph");
        Assert.Equal(shop.Planned.Pods.Count.ToString(), await graph.GetAttributeAsync("data-pods"));
        Assert.Equal(shop.Planned.Services.Count.ToString(), await graph.GetAttributeAsync("data-services"));
        Assert.Equal(shop.Planned.Nodes.Count.ToString(), await graph.GetAttributeAsync("data-nodes"));
        Assert.Equal(1, await graph.Locator("canvas").CountAsync() > 0 ? 1 : 0);
        await Chromium.Screenshot(page, "topology");
    }

    [SkippableFact]
    public async Task The_heatmap_cell_of_a_pair_the_engine_denies_is_marked_denied_and_an_allowed_one_allowed()
    {
        var page = await Open();
        foreach (var allowed in new[] { false, true })
        {
            var (from, to) = shop.Pair(allowed);
            await page.FillAsync("#cell-form input[name=from]", from);
            await page.FillAsync("#cell-form input[name=to]", to);
            await page.ClickAsync("#cell-form button");
            var info = page.Locator($"#cell-info[data-from='{from}'][data-to='{to}']");
            await info.WaitForAsync();
            Assert.Equal(allowed ? "true" : "false", await info.GetAttributeAsync("data-allowed"));
            await Assertions.Expect(info).ToContainTextAsync(allowed ? "allowed" : "denied: ");

            // The canvas itself: the pixel at the middle of the cell has the verdict's colour.
            var x = int.Parse((await info.GetAttributeAsync("data-x"))!);
            var y = int.Parse((await info.GetAttributeAsync("data-y"))!);
            var pixel = await page.EvaluateAsync<int[]>("([x, y]) => Array.from(document.getElementById('heatmap-canvas').getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))", new[] { x, y });
            Assert.Equal(allowed ? Allowed : Denied, pixel);
            await Chromium.Screenshot(page, allowed ? "heatmap-allowed-cell" : "heatmap-denied-cell");
        }
    }

    [SkippableFact]
    public async Task A_trace_through_a_service_highlights_the_source_the_service_and_each_endpoint()
    {
        var page = await Open();
        var (from, _) = shop.Pair(allowed: true);
        await page.FillAsync("#trace-form input[name=from]", from);
        await page.FillAsync("#trace-form input[name=to]", "api.shop-api:80");
        await page.ClickAsync("#trace-form button");
        await page.Locator("#trace-result[data-verdict]").WaitForAsync();

        var service = shop.Planned.ServicesByName["shop-api/api"];
        var endpoints = shop.Planned.SlicesFor(service).SelectMany(s => s.Endpoints).Select(e => "pod:" + e.TargetPod).Distinct();
        var path = (await page.Locator("#graph").GetAttributeAsync("data-path"))!.Split(' ');
        Assert.Equal(new[] { "pod:" + from, "svc:shop-api/api" }.Concat(endpoints).Order(), path.Order());
        Assert.NotEqual("error", await page.Locator("#trace-result").GetAttributeAsync("data-verdict"));
        Assert.True(await page.Locator("#trace-result li").CountAsync() > 2);
        await Chromium.Screenshot(page, "trace");
    }

    [SkippableFact]
    public async Task The_what_if_form_shows_the_connections_a_change_loses()
    {
        var page = await Open();
        await page.FillAsync("#whatif-form textarea", ShopUi.DropPostgresAllow);
        await page.ClickAsync("#whatif-form button");
        var result = page.Locator("#whatif-result[data-exit-code]");
        await result.WaitForAsync();
        Assert.Equal("1", await result.GetAttributeAsync("data-exit-code"));
        await Assertions.Expect(result).ToContainTextAsync("lost");
        await Chromium.Screenshot(page, "what-if");
    }

    [SkippableFact]
    public async Task The_page_with_a_wrong_token_is_refused_401()
    {
        var page = await chromium.NewPage();
        var response = await page.GotoAsync(new Uri(shop.Server.Address, "?token=" + new string('f', 64)).ToString());

        Assert.Equal(401, response!.Status);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("401");
        Assert.Equal(0, await page.Locator("#graph").CountAsync());
        await Chromium.Screenshot(page, "wrong-token");
    }

    /// <summary>The login address, then the page once the graph and the heatmap are drawn.</summary>
    private async Task<IPage> Open()
    {
        var page = await chromium.NewPage();
        var response = await page.GotoAsync(shop.Server.LoginAddress.ToString());
        Assert.Equal(200, response!.Status);
        await page.Locator("#graph[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.Locator("#heatmap[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        return page;
    }
}
