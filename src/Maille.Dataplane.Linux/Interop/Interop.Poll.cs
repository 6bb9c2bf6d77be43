using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    internal const short PollIn = 0x1;
    internal const int ErrorNoBuffers = 105;
    internal const int ErrorAgain = 11;
    internal const int ErrorInterrupted = 4;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>EFD_CLOEXEC | EFD_NONBLOCK from sys/eventfd.h.</summary>
    internal const int EventFdCloExecNonBlock = 0x80000 | 0x800;

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    /// <summary>A pidfd (glibc 2.36, Linux 5.3): a descriptor of process <paramref name="pid"/> that turns readable when it ends.</summary>
    [LibraryImport(Library, EntryPoint = "pidfd_open", SetLastError = true)]
    internal static partial int PidFdOpen(int pid, uint flags);

    /// <summary>An eventfd: a counter another thread adds to, to wake one that polls it.</summary>
    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);
}
