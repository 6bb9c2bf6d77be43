using Microsoft.Playwright;

namespace Maille.Cli.Tests.Ui;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, which run-tests installs), headless, driven by Playwright: no browser is
/// downloaded. Without it the browser tests skip and say why, except under CI (CI=true), where that is a failure.
/// One browser for every UI test class (<see cref="SharedChromium"/>); each test gets a fresh browser context
/// (cookies of its own); screenshots go to <c>screenshots/</c> in the test output folder.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The test collection whose classes share one browser (<see cref="SharedChromium"/>).</summary>
    public const string Collection = "chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Screenshots => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        // The flags the machine notes ask for headless chromium as root, and a profile folder of its own each run.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A new page in a context of its own, 1400×1000; skips (or fails under CI) when chromium is missing.</summary>
    public async Task<IPage> NewPage()
    {
        if (_browser is null)
        {
            const string Reason = $"{Executable} is not installed (run-tests installs Debian's chromium as root)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(Reason + "; CI=true, so this is a failure, not a skip");
            }

            Skip.If(true, Reason);
        }

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        return await context.NewPageAsync();
    }

    /// <summary>Saves the whole page as <c>screenshots/NAME.png</c> and returns the path.</summary>
    public static async Task<string> Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        var path = Path.Combine(Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
