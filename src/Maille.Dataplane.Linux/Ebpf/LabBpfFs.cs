using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// A bpffs of the lab's own, mounted on a folder of the lab's state (<c>/run/maille/LAB/bpf</c>), where the node agent
/// processes of an ebpf lab pin their maps and cgroup links so that they outlive an agent (docs/ebpf-dataplane.md,
/// "Agent processes"). Its own instance, not the machine's <c>/sys/fs/bpf</c>: what a lab pins is seen, and removed,
/// with the lab alone. Unmounting it drops every pin: the links then close and their programs leave the cgroup.
/// </summary>
public static class LabBpfFs
{
    /// <summary>Mounts a fresh bpffs on <paramref name="directory"/>; one left by a crashed daemon is unmounted first, with its pins.</summary>
    public static void Mount(string directory)
    {
        Unmount(directory);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Libc.Mount("bpf", directory, "bpf", Libc.MsNoSuid | Libc.MsNoDev | Libc.MsNoExec, 0) != 0)
        {
            throw Libc.LastError($"mounting a bpffs on {directory}");
        }
    }

    /// <summary>Unmounts the bpffs on <paramref name="directory"/> (every one stacked there); true when there was one.</summary>
    public static bool Unmount(string directory)
    {
        var any = false;
        while (IsMounted(directory))
        {
            if (Libc.Umount2(directory, Libc.MntDetach) != 0)
            {
                throw Libc.LastError($"unmounting the bpffs on {directory}");
            }

            any = true;
        }

        return any;
    }

    /// <summary>Whether a bpffs is mounted on <paramref name="directory"/> (this process's mount table).</summary>
    public static bool IsMounted(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/');
        return File.ReadLines("/proc/self/mounts")
            .Select(line => line.Split(' '))
            .Any(fields => fields.Length > 2 && fields[2] == "bpf" && Unescape(fields[1]) == full);
    }

    /// <summary>/proc/self/mounts writes a space, tab, newline and backslash in a path as octal escapes.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
