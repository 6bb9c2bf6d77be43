using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

/// <summary>Owns a file descriptor (a namespace file, a netlink socket, a sysctl file) and closes it once.</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number, for netlink attributes such as IFLA_NET_NS_FD. Valid while this handle is alive.</summary>
    public int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
