using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    internal const ulong MsNoSuid = 2;
    internal const ulong MsNoDev = 4;
    internal const ulong MsNoExec = 8;
    internal const ulong MsBind = 4096;
    internal const ulong MsRec = 16384;
    internal const ulong MsShared = 1 << 20;
    internal const int MntDetach = 2;

    [LibraryImport(Library, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string? fileSystemType, ulong flags, nint data);

    [LibraryImport(Library, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);
}
