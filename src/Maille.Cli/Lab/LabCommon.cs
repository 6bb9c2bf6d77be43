using System.CommandLine;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>What every live-lab command shares: the <c>--lab</c> option, the root check, and taking a lab down.</summary>
internal static partial class LabCommon
{
    public const string DefaultLab = "default";

    public static Option<string> LabOption() => new("--lab")
    {
        Description = "The lab's name (lower-case letters and digits)",
        DefaultValueFactory = _ => DefaultLab,
    };

    /// <summary>Refuses to go on unless this is Linux, as root, with a valid lab name; says why otherwise.</summary>
    public static bool CanRunLab(CliContext context, string lab)
    {
        if (!OperatingSystem.IsLinux())
        {
            context.Stderr.WriteLine("error: the live lab needs Linux (network namespaces); the offline commands work anywhere");
            return false;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            context.Stderr.WriteLine("error: the live lab needs root to create network namespaces; run it with sudo");
            return false;
        }

        if (!LabNames.IsValidLab(lab))
        {
            context.Stderr.WriteLine($"error: --lab {lab}: a lab name is 1 to {LabNames.MaxLabNameLength} lower-case letters and digits");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Stops the lab's daemon (SIGTERM, then SIGKILL after 5 s), removes every namespace of the lab (and with them
    /// every veth and route), and deletes its state. Works after a crash: it needs nothing but the lab's name.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static int TakeDown(string lab)
    {
        var state = new LabState(lab);
        if (state.ReadPid() is { } pid && state.DaemonAlive())
        {
            try
            {
                using var daemon = System.Diagnostics.Process.GetProcessById(pid);
                _ = Maille.Dataplane.Linux.Interop.Libc.Kill(pid, Maille.Dataplane.Linux.Interop.Libc.SigTerm);
                if (!daemon.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    daemon.Kill(entireProcessTree: true);
                    daemon.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
            catch (ArgumentException)
            {
                // It exited in the meantime.
            }
        }

        KillProcessesIn(LabNetworkBuilder.Namespaces(lab));
        var removed = LabNetworkBuilder.Teardown(lab);
        state.Delete();
        return removed;
    }

    /// <summary>
    /// SIGKILLs every process living in one of <paramref name="namespaces"/>: the programs a crashed daemon started with
    /// <c>ip netns exec</c> outlive it, run as root and keep the namespaces alive. <c>ip netns pids</c> finds them (it
    /// compares each <c>/proc/PID/ns/net</c> with the namespace file); a few rounds catch what they forked meanwhile.
    /// </summary>
    [SupportedOSPlatform("linux")]
    private static void KillProcessesIn(IReadOnlyList<string> namespaces)
    {
        for (var round = 0; round < 5; round++)
        {
            var pids = namespaces.SelectMany(PidsIn).Where(pid => pid != Environment.ProcessId).Distinct().ToList();
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                _ = Maille.Dataplane.Linux.Interop.Libc.Kill(pid, Maille.Dataplane.Linux.Interop.Libc.SigKill);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < deadline && pids.Any(Running))
            {
                Thread.Sleep(20);
            }
        }
    }

    private static IEnumerable<int> PidsIn(string ns)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "netns", "pids", ns })
        {
            start.ArgumentList.Add(argument);
        }

        using var ip = System.Diagnostics.Process.Start(start);
        if (ip is null)
        {
            return [];
        }

        var errors = ip.StandardError.ReadToEndAsync();
        var output = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        _ = errors.Result;
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)];
    }

    /// <summary>Alive and not a zombie (a zombie holds no namespace and goes when its parent reaps it).</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Labs that have state or namespaces, even if their daemon or state is gone. Only names shaped like a lab's
    /// (<c>maille-LAB-underlay</c>, <c>-external</c>, <c>-node-…</c>, <c>-pod-HASH</c>) count, so other tools' namespaces
    /// that merely start with <c>maille-</c> (a benchmark's baseline pair, say) are left alone.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static IReadOnlyList<string> KnownLabs()
    {
        var fromNamespaces = NetworkNamespace.List(NetworkNamespace.NamePrefix)
            .Select(LabNames.LabOf)
            .OfType<string>();
        return [.. LabState.All().Select(s => s.Lab).Concat(fromNamespaces).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
