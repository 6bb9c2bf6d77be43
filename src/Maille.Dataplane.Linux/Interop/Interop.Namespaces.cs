using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    /// <summary>CLONE_NEWNET from sched.h.</summary>
    internal const int CloneNewNet = 0x40000000;

    [LibraryImport(Library, EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);

    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(SafeHandle fd, int nsType);

    [LibraryImport(Library, EntryPoint = "gettid")]
    internal static partial int GetTid();
}
