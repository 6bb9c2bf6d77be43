using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

internal static partial class Libc
{
    /// <summary>SIGTERM: ask a lab daemon to stop cleanly (.NET's Process.Kill only sends SIGKILL).</summary>
    internal const int SigTerm = 15;

    /// <summary>SIGKILL: end a process that must not outlive its lab (a container's program after a daemon crash).</summary>
    internal const int SigKill = 9;

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
