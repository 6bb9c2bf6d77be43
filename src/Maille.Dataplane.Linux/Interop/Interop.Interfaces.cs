using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    /// <summary>if_nametoindex(3): the index of <paramref name="name"/> in the calling thread's network namespace, 0 if none.</summary>
    [LibraryImport(Library, EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint IfNameToIndex(string name);
}
