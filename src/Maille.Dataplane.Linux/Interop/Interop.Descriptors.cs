using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

internal static partial class Libc
{
    /// <summary>RLIMIT_NOFILE from sys/resource.h.</summary>
    internal const int RlimitNoFile = 7;

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRLimit(int resource, out ResourceLimit limit);

    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    internal static partial int SetRLimit(int resource, in ResourceLimit limit);

    /// <summary><c>struct rlimit</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
