using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    internal const int ORdOnly = 0;
    internal const int OWrOnly = 1;
    internal const int OCreat = 0x40;
    internal const int OExcl = 0x80;
    internal const int OCloExec = 0x80000;

    /// <summary>open(2); the mode is passed as the fixed third argument, which the x86-64 and arm64 ABIs allow.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    /// <summary>chown(2): .NET sets modes but not owners.</summary>
    [LibraryImport(Library, EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint owner, uint group);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(SafeHandle fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(SafeHandle fd, byte* buffer, nuint count);

    /// <summary>stat(2) into a buffer large enough for <c>struct stat</c> on 64-bit Linux (144 bytes on x86-64, 128 on arm64).</summary>
    [LibraryImport(Library, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    /// <summary>The inode number of <paramref name="path"/> (after links), or null when it cannot be read.</summary>
    internal static unsafe ulong? InodeOf(string path)
    {
        // st_ino follows st_dev (8 bytes) in the 64-bit layouts of both x86-64 and arm64.
        var buffer = stackalloc byte[256];
        return Stat(path, buffer) == 0 ? *(ulong*)(buffer + 8) : null;
    }

    /// <summary>Opens <paramref name="path"/> with O_CLOEXEC added, throwing on failure.</summary>
    internal static FileDescriptorHandle OpenOrThrow(string path, int flags, uint mode = 0)
    {
        var fd = Open(path, flags | OCloExec, mode);
        if (fd < 0)
        {
            throw LastError($"open {path}");
        }

        return new FileDescriptorHandle(fd);
    }
}
