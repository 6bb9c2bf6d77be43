using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    /// <summary>RLIMIT_NOFILE from sys/resource.h.</summary>
    public const int RlimitNoFile = 7;

    /// <summary>F_DUPFD_CLOEXEC from fcntl.h.</summary>
    internal const int FDupFdCloExec = 1030;

    internal const int SoProtocol = 38;
    internal const int SoDomain = 39;

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRLimit(int resource, out ResourceLimit limit);

    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRLimit(int resource, in ResourceLimit limit);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "dup3", SetLastError = true)]
    internal static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSocketOption(int fd, int level, int option, out int value, ref int length);

    /// <summary><c>struct rlimit</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
