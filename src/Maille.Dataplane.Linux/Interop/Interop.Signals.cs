using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    /// <summary>SIGTERM: ask a lab daemon to stop cleanly (.NET's Process.Kill only sends SIGKILL).</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL: end a process that must not outlive its lab (a container's program after a daemon crash).</summary>
    public const int SigKill = 9;

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
