using System.Diagnostics;

namespace Maille.Cli.Lab;

/// <summary>
/// The Debian packages the lab needs, installed by the demo when missing: iproute2 (exec, programs), nftables
/// (libnftables for the Service proxy), conntrack (stale UDP flows), curl (requests through the Ingress). apt-get's
/// own output is kept out of the way: one line per package installed, and the whole log only when it fails.
/// </summary>
/// <param name="installedVersion">The installed version of a package, or null when it is not installed.</param>
/// <param name="aptGet">Runs apt-get with these arguments: its exit code and its output and errors, interleaved.</param>
/// <param name="needed">The packages to have; <see cref="Needed"/> when not given.</param>
internal sealed class DemoPackages(Func<string, string?> installedVersion, Func<string, (int ExitCode, string Log)> aptGet, IReadOnlyList<string>? needed = null)
{
    public static readonly IReadOnlyList<string> Needed = ["iproute2", "nftables", "conntrack", "curl"];

    public static DemoPackages OnThisMachine { get; } = new(DpkgVersion, RunAptGet);

    /// <summary>What <c>maille compare</c> needs: the lab's packages and iperf3, for its throughput runs.</summary>
    public static DemoPackages ForCompare { get; } = new(DpkgVersion, RunAptGet, [.. Needed, "iperf3"]);

    /// <summary>Installs what is missing, saying so; false (with apt-get's log on stderr) when that fails.</summary>
    public bool Ensure(CliContext context)
    {
        var missing = (needed ?? Needed).Where(p => installedVersion(p) is null).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        context.Stdout.WriteLine($"0. Installing {string.Join(", ", missing)} (apt-get install)…");
        foreach (var arguments in new[] { "update -qq", "install -y -qq --no-install-recommends " + string.Join(' ', missing) })
        {
            var (exitCode, log) = aptGet(arguments);
            if (exitCode != 0)
            {
                context.Stderr.Write(log.EndsWith('\n') || log.Length == 0 ? log : log + "\n");
                context.Stderr.WriteLine($"error: apt-get {arguments} failed (exit {exitCode}; its output is above); install {string.Join(", ", missing)} and run the command again");
                return false;
            }
        }

        foreach (var package in missing)
        {
            context.Stdout.WriteLine($"   installed {package} {installedVersion(package) ?? "(not found after install)"}");
        }

        return true;
    }

    private static string? DpkgVersion(string package)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dpkg-query", ["-W", "-f=${Status} ${Version}", package]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var status = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return status.StartsWith("install ok installed ", StringComparison.Ordinal) ? status["install ok installed ".Length..].Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No dpkg: not a Debian-like system; let the lab say what is missing when it needs it.
            return "(no dpkg)";
        }
    }

    private static (int, string) RunAptGet(string arguments)
    {
        var start = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = new Process { StartInfo = start };
        var log = new System.Text.StringBuilder();
        void Append(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (process.ExitCode, log.ToString());
    }
}
