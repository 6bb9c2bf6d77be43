using System.Diagnostics;
using Maille.TestKit;

namespace Maille.Cli.Tests;

/// <summary>The <c>./maille</c> script at the repository root, run as a user would.</summary>
public sealed class ScriptTests
{
    [Fact]
    public async Task The_root_script_builds_and_runs_the_cli()
    {
        var start = new ProcessStartInfo(Path.Combine(Cluster.RepositoryRoot, "maille"))
        {
            WorkingDirectory = Cluster.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "get", "nodes", "-f", "examples/shop" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Ready", await stdout);
    }

    [Fact]
    public void The_root_script_gives_the_cli_the_same_young_generation_budget_as_the_daemon()
    {
        var script = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "maille"));
        Assert.Contains($"export {Lab.YoungGenerationBudget.Variable}=\"${{{Lab.YoungGenerationBudget.Variable}:-{Lab.YoungGenerationBudget.Value}}}\"", script, StringComparison.Ordinal);
    }
}
