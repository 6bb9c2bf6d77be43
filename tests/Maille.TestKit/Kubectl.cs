using System.Diagnostics;
using Xunit.Abstractions;

namespace Maille.TestKit;

/// <summary>
/// The machine's kubectl against a <see cref="LiveLab"/>, through the kubeconfig <c>maille up</c> wrote (the test
/// run's own, <see cref="MailleProcess.Kubeconfig"/>) and the lab's context, bounded in time. A missing kubectl fails
/// the test: run-tests installs it, and these tests are what says kubectl works.
/// </summary>
internal sealed class Kubectl(LiveLab lab, ITestOutputHelper? output = null)
{
    public (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments) => RunWithInput(null, arguments);

    /// <summary>Starts kubectl and lets it run (<c>port-forward</c>), with <paramref name="environment"/> added.</summary>
    public KubectlProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new KubectlProcess(start, output);
    }

    /// <summary>Runs kubectl with <paramref name="input"/> on its standard input (<c>-f -</c>).</summary>
    public (int ExitCode, string Stdout, string Stderr) RunWithInput(string? input, params string[] arguments) =>
        Complete(StartInfo(arguments), input, $"[kubectl] {string.Join(' ', arguments)}");

    /// <summary>
    /// Runs kubectl under a pseudo-terminal (util-linux's <c>script</c>), as from a user's shell: <c>exec -it</c> needs
    /// it, since kubectl drops <c>-t</c> when its standard input is no terminal. Output is the terminal's: standard
    /// output and error together, lines ending in CR LF. The exit code is kubectl's (<c>script --return</c>).
    /// </summary>
    public (int ExitCode, string Output) RunInTerminal(params string[] arguments)
    {
        var kubectl = StartInfo(arguments);
        var command = string.Join(' ', kubectl.ArgumentList.Prepend("kubectl").Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("script") { Environment = { ["KUBECONFIG"] = MailleProcess.Kubeconfig } };
        foreach (var argument in (string[])["--quiet", "--return", "--command", command, "/dev/null"])
        {
            start.ArgumentList.Add(argument);
        }

        var (exitCode, stdout, stderr) = Complete(start, null, $"[kubectl, in a terminal] {string.Join(' ', arguments)}");
        return (exitCode, stdout + stderr);
    }

    /// <summary>Runs a kubectl command that must succeed; returns its standard output.</summary>
    public string Succeed(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(arguments);
        Assert.True(exitCode == 0, $"kubectl {string.Join(' ', arguments)} exited with {exitCode}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>Runs <paramref name="start"/> with <paramref name="input"/> on its standard input, for a minute at most; writes what it printed under <paramref name="title"/>.</summary>
    private (int ExitCode, string Stdout, string Stderr) Complete(ProcessStartInfo start, string? input, string title)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{start.FileName} is not installed (run-tests installs kubectl as root): {e.Message}");
        }

        using (process)
        {
            process.StandardInput.Write(input ?? "");
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{title} did not finish within a minute");
            }

            var result = (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
            output?.WriteLine($"{title}: exit {result.ExitCode}\n{result.Item2}{result.Item3}");
            return result;
        }
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { Environment = { ["KUBECONFIG"] = MailleProcess.Kubeconfig } };
        foreach (var argument in (string[])["--context", $"maille-{lab.Name}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
