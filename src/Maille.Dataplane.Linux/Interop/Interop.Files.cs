using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

internal static partial class Libc
{
    internal const int ORdOnly = 0;
    internal const int OWrOnly = 1;
    internal const int OCreat = 0x40;
    internal const int OExcl = 0x80;
    internal const int OCloExec = 0x80000;

    /// <summary>open(2); the mode is passed as the fixed third argument, which the x86-64 and arm64 ABIs allow.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(SafeHandle fd, byte* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(SafeHandle fd, byte* buffer, nuint count);

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
