using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

/// <summary>
/// The libc entry points this project calls. Each syscall family lives in its own file
/// (<c>Interop.Namespaces.cs</c>, <c>Interop.Mount.cs</c>, ...), as dotnet/runtime lays out its interop.
/// </summary>
public static partial class Libc
{
    internal const string Library = "libc";

    /// <summary>Throws the errno of the last call as an <see cref="IOException"/> naming the operation.</summary>
    public static IOException LastError(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }
}
