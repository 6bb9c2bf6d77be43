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
    public (int ExitCode, string Stdout, string Stderr) RunWithInput(string? input, params string[] arguments)
    {
        var start = StartInfo(arguments);
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
            throw new Xunit.Sdk.XunitException($"kubectl is not installed (run-tests installs it as root): {e.Message}");
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
                Assert.Fail($"kubectl {string.Join(' ', arguments)} did not finish within a minute");
            }

            var result = (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
            output?.WriteLine($"[kubectl] {string.Join(' ', arguments)}: exit {result.ExitCode}\n{result.Item2}{result.Item3}");
            return result;
        }
    }

    /// <summary>Runs a kubectl command that must succeed; returns its standard output.</summary>
    public string Succeed(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(arguments);
        Assert.True(exitCode == 0, $"kubectl {string.Join(' ', arguments)} exited with {exitCode}: {stderr}{stdout}");
        return stdout;
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
