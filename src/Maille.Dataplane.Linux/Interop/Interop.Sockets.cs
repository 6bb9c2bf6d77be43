using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    internal const int AfInet = 2;
    internal const int AfNetlink = 16;
    internal const int SockRaw = 3;
    internal const int SockCloExec = 0x80000;
    internal const int NetlinkRoute = 0;
    internal const int NetlinkNetfilter = 12;
    internal const int MsgDontWait = 0x40;
    internal const int SolSocket = 1;
    internal const int SoSndBuf = 7;
    internal const int SoRcvBuf = 8;
    internal const int SoSndBufForce = 32;
    internal const int SoRcvBufForce = 33;
    internal const int SolNetlink = 270;
    internal const int NetlinkCapAck = 10;
    internal const int NetlinkAddMembership = 1;
    internal const int NetlinkDropMembership = 2;
    internal const int NetlinkExtAck = 11;

    /// <summary>struct sockaddr_nl.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNetlink
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeHandle fd, in SockAddrNetlink address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(SafeHandle fd, int level, int name, in int value, uint valueLength);

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    internal static unsafe partial nint SendTo(SafeHandle fd, byte* buffer, nuint length, int flags, in SockAddrNetlink address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    internal static unsafe partial nint RecvFrom(SafeHandle fd, byte* buffer, nuint length, int flags, nint address, nint addressLength);
}
