using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>libbpf's errors as exceptions that name the operation and say what to install when the library is missing.</summary>
internal static class BpfError
{
    public const string Install = "install Debian's libbpf1 (apt-get install libbpf1), and clang and libbpf-dev to build the programs";

    public static IOException FromCode(string operation, int code) =>
        new($"{operation}: {Marshal.GetPInvokeErrorMessage(-code)} (errno {-code})", -code);

    public static IOException FromErrno(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }
}
