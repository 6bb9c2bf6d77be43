using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

internal static partial class Libc
{
    /// <summary>SIGTERM: ask a lab daemon to stop cleanly (.NET's Process.Kill only sends SIGKILL).</summary>
    internal const int SigTerm = 15;

    /// <summary>SIGKILL: end a process that must not outlive its lab (a container's program after a daemon crash).</summary>
    internal const int SigKill = 9;

    /// <summary>SIG_BLOCK for <see cref="ThreadSignalMask"/>.</summary>
    internal const int SigBlock = 0;

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    /// <summary>pthread_sigmask(3) with a glibc <c>sigset_t</c> (1,024 bits; signal N is bit N−1).</summary>
    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    internal static unsafe partial int ThreadSignalMask(int how, ulong* set, ulong* old);

    /// <summary>Blocks <paramref name="signals"/> on the calling thread, so that the kernel delivers them to another thread.</summary>
    internal static unsafe void BlockOnThisThread(ReadOnlySpan<int> signals)
    {
        var set = stackalloc ulong[16];
        foreach (var signal in signals)
        {
            set[(signal - 1) / 64] |= 1UL << ((signal - 1) % 64);
        }

        var error = ThreadSignalMask(SigBlock, set, null);
        if (error != 0)
        {
            throw new IOException($"pthread_sigmask: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})", error);
        }
    }
}
