using System.Diagnostics;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Lab.Labs;

/// <summary>
/// Takes a lab down, also after a crash: it needs nothing but the lab's name. Stops the daemon (SIGTERM, then
/// SIGKILL after 5 s), kills whatever still lives in the lab's namespaces, removes every namespace (and with them
/// every veth and route), unmounts the lab's bpffs (the pins of an ebpf lab's agent processes), removes the lab's cgroup
/// (the ebpf data plane's), and deletes the lab's state.
/// </summary>
[SupportedOSPlatform("linux")]
public static class LabTeardown
{
    /// <summary>Takes <paramref name="lab"/> down; returns how many network namespaces were removed.</summary>
    public static int TakeDown(string lab)
    {
        var state = new LabState(lab);
        if (state.ReadPid() is { } pid && state.DaemonAlive())
        {
            try
            {
                using var daemon = Process.GetProcessById(pid);
                _ = Libc.Kill(pid, Libc.SigTerm);
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

        KillProcessesIn(NamespaceProcesses.Identities(LabNetworkBuilder.Namespaces(lab)));
        var removed = LabNetworkBuilder.Teardown(lab);
        // The agent processes' pins (ebpf with --agents process): unmounting the lab's bpffs closes the links they held.
        Dataplane.Linux.Ebpf.LabBpfFs.Unmount(state.BpfDirectory);
        // The ebpf data plane's cgroup (its programs left with the daemon: bpf_links close with their process).
        Dataplane.Linux.Ebpf.LabCgroup.TryFor(lab)?.Remove();
        state.Delete();
        return removed;
    }

    /// <summary>
    /// SIGKILLs every process living in one of <paramref name="namespaces"/> (identities from <see cref="NamespaceProcesses.Identities"/>): the programs a crashed daemon started
    /// with <c>ip netns exec</c> outlive it, run as root and keep the namespaces alive. A few rounds catch what they
    /// forked meanwhile. The <paramref name="spared"/> processes are left alone (the node agents a restarted daemon adopts).
    /// </summary>
    internal static void KillProcessesIn(IReadOnlySet<string> namespaces, IReadOnlySet<int>? spared = null)
    {
        for (var round = 0; round < 5; round++)
        {
            var pids = NamespaceProcesses.In(namespaces).Where(pid => spared?.Contains(pid) != true).ToList();
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                _ = Libc.Kill(pid, Libc.SigKill);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < deadline && pids.Any(Running))
            {
                Thread.Sleep(20);
            }
        }
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
}
