using System.Diagnostics;

namespace Maille.TestKit;

/// <summary>
/// Runs the repository's <c>./maille</c> script as a user would, bounded in time. <c>KUBECONFIG</c> points at a file of
/// the test run's own, so that the labs tests bring up never become the machine user's kubectl context.
/// </summary>
internal static class MailleProcess
{
    public static readonly string Kubeconfig = Path.Combine(Path.GetTempPath(), $"maille-tests-{Environment.ProcessId}", "kubeconfig");

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(Cluster.RepositoryRoot, "maille"))
        {
            WorkingDirectory = Cluster.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["KUBECONFIG"] = Kubeconfig },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"maille {string.Join(' ', arguments)} did not finish within 5 minutes");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static string Example(params string[] parts) => Path.Combine([Cluster.RepositoryRoot, "examples", .. parts]);
}
