using System.Globalization;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// The cgroup (v2) a lab creates for its own processes: its daemon, which opens the pods' sockets inside their
/// namespaces, and everything it starts (pod programs, <c>maille exec</c>). The eBPF data plane's socket hooks are
/// attached here and nowhere else, never to the root: a process outside the lab never meets them. On a hybrid machine
/// cgroup v2 is mounted at <c>/sys/fs/cgroup/unified</c>; on a v2-only one at <c>/sys/fs/cgroup</c>.
/// </summary>
public sealed class LabCgroup
{
    private const int ODirectory = 0x10000;

    private LabCgroup(string root, string path)
    {
        Root = root;
        Path = path;
    }

    /// <summary>The cgroup v2 hierarchy's root.</summary>
    public string Root { get; }

    public string Path { get; }

    public bool Exists => Directory.Exists(Path);

    /// <summary>The cgroup v2 root of this machine, or null when it has none mounted.</summary>
    public static string? UnifiedRoot() =>
        File.Exists("/sys/fs/cgroup/unified/cgroup.procs") ? "/sys/fs/cgroup/unified"
        : File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup"
        : null;

    /// <summary>The cgroup of lab <paramref name="lab"/> (<c>maille-LAB</c> under the v2 root), whether it exists or not.</summary>
    public static LabCgroup For(string lab)
    {
        var root = UnifiedRoot() ?? throw new IOException("this machine has no cgroup v2 hierarchy (/sys/fs/cgroup/unified or /sys/fs/cgroup): the ebpf data plane needs one");
        return new LabCgroup(root, System.IO.Path.Combine(root, "maille-" + lab));
    }

    /// <summary><see cref="For"/>, or null on a machine without a cgroup v2 hierarchy (no lab there has a cgroup).</summary>
    public static LabCgroup? TryFor(string lab) => UnifiedRoot() is { } root ? new LabCgroup(root, System.IO.Path.Combine(root, "maille-" + lab)) : null;

    /// <summary>
    /// The lab's cgroup at <paramref name="path"/> as this process can reach it. A <c>maille agent</c> started with
    /// <c>ip netns exec</c> sees a fresh sysfs without the cgroup mounts, so the daemon hands it the cgroup through its
    /// own mount namespace (<c>/proc/DAEMON/root/sys/fs/cgroup/…</c>). It must exist: the daemon makes it.
    /// </summary>
    public static LabCgroup At(string path)
    {
        if (!File.Exists(System.IO.Path.Combine(path, "cgroup.procs")))
        {
            throw new IOException($"{path} is not a cgroup (no cgroup.procs): the lab's daemon makes the lab's cgroup before it starts the agents");
        }

        return new LabCgroup(System.IO.Path.GetDirectoryName(path)!, path);
    }

    /// <summary>Creates the cgroup, unless it exists.</summary>
    public void Create() => Directory.CreateDirectory(Path);

    /// <summary>
    /// Creates the cgroup (once) and moves process <paramref name="pid"/> with all its threads into it. A socket belongs
    /// to the cgroup of the process that opened it, so a process joins before it opens the sockets the hooks must see.
    /// </summary>
    public void Join(int pid)
    {
        Create();
        File.AppendAllText(System.IO.Path.Combine(Path, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The processes in the cgroup now.</summary>
    public IReadOnlyList<int> Processes() => Exists
        ? [.. File.ReadAllLines(System.IO.Path.Combine(Path, "cgroup.procs")).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))]
        : [];

    /// <summary>The cgroup's directory, open for <c>bpf_program__attach_cgroup</c>.</summary>
    internal FileDescriptorHandle Open() => Libc.OpenOrThrow(Path, Libc.ORdOnly | ODirectory);

    /// <summary>
    /// Removes the cgroup: the programs attached to it go with it. Processes still inside (a <c>maille exec</c> that
    /// outlived its daemon) are moved back to the root first, since a cgroup with members cannot be removed. True when
    /// there was one to remove.
    /// </summary>
    public bool Remove()
    {
        if (!Exists)
        {
            return false;
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            foreach (var pid in Processes())
            {
                try
                {
                    File.AppendAllText(System.IO.Path.Combine(Root, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                }
                catch (IOException)
                {
                    // It exited meanwhile (ESRCH).
                }
            }

            try
            {
                Directory.Delete(Path);
                return true;
            }
            catch (IOException) when (attempt < 49)
            {
                // EBUSY: a process forked while the others moved; move again.
                Thread.Sleep(20);
            }
        }

        return true;
    }
}
