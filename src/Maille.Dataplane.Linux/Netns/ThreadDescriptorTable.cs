using System.Globalization;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Netns;

/// <summary>
/// Gives one thread a descriptor table of its own, for libraries that cannot live with high descriptor numbers.
/// libnftables 1.0.6 (Debian 12) waits for the kernel's answer with <c>select()</c>, and glibc aborts the whole
/// process ("bit out of range 0 - FD_SETSIZE on fd_set") when a descriptor of 1024 or more goes into an
/// <c>fd_set</c>. A lab holds a descriptor per pod namespace and per served port, so a context made in the shared
/// table of a lab of a few hundred pods gets such a number. A detached thread's table keeps only what the runtime
/// itself may need on any thread, so the sockets it opens get small numbers however many the process holds.
/// </summary>
/// <remarks>
/// <para>
/// What stays in the thread's copy: standard input, output and error, pipes (the runtime's signal pipe),
/// anonymous inodes (epoll, eventfd) and memfds (the runtime's double-mapped code heap: without it the JIT cannot
/// map new code on this thread), and devices. Everything else (sockets, namespaces, files) is closed in the copy,
/// so a pod's socket closed elsewhere really closes.
/// </para>
/// <para>
/// The rule that comes with it: a descriptor made on a detached thread is known only there. It must be used and
/// closed on that thread (a <c>using</c>, never a finalizer, which would close that number in the shared table), and
/// a descriptor opened elsewhere after the detach cannot be used there. A child process started there inherits the
/// thread's small table (and its blocked signals: conntrack and nft do not care). The table goes, closing whatever
/// is left in it, when the thread ends.
/// </para>
/// </remarks>
internal static class ThreadDescriptorTable
{
    /// <summary>The highest number <c>select()</c> accepts, plus one (FD_SETSIZE).</summary>
    public const int SelectLimit = 1024;

    private const int CloneFiles = 0x400;

    /// <summary>
    /// The asynchronous signals the .NET runtime handles by writing to a pipe it may open after the detach (SIGCHLD
    /// when a first child process ends, SIGTERM, terminal signals): blocked on a detached thread, so the kernel delivers
    /// them to a thread that sees that pipe. A SIGCHLD handled on a detached thread whose table lacked the pipe made
    /// the runtime abort. Synchronous faults (SIGSEGV for null references) and the runtime's thread-directed
    /// activation signal stay unblocked.
    /// </summary>
    private static readonly int[] ProcessSignals = [1, 2, 3, 10, 12, 13, 14, 15, 17, 18, 20, 21, 22, 23, 28];

    /// <summary>Unshares the calling thread's descriptor table and closes in it what the runtime does not need.</summary>
    public static void Detach()
    {
        Libc.BlockOnThisThread(ProcessSignals);
        if (Libc.Unshare(CloneFiles) != 0)
        {
            throw Libc.LastError("unshare(CLONE_FILES)");
        }

        foreach (var descriptor in Open())
        {
            if (descriptor > 2 && !RuntimeMayUse(Link(descriptor)))
            {
                Libc.Close(descriptor);
            }
        }
    }

    /// <summary>The calling thread's open descriptors (read before any is closed: listing opens one more).</summary>
    public static IReadOnlyList<int> Open() =>
        [.. Directory.EnumerateFileSystemEntries("/proc/thread-self/fd")
            .Select(path => int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture))];

    private static string Link(int descriptor)
    {
        try
        {
            return new FileInfo($"/proc/thread-self/fd/{descriptor}").LinkTarget ?? "";
        }
        catch (IOException)
        {
            return ""; // the listing's own descriptor, closed since
        }
    }

    private static bool RuntimeMayUse(string target) =>
        target.Length == 0
        || target.StartsWith("pipe:", StringComparison.Ordinal)
        || target.StartsWith("anon_inode:", StringComparison.Ordinal)
        || target.StartsWith("/memfd:", StringComparison.Ordinal)
        || target.StartsWith("/dev/", StringComparison.Ordinal);
}
