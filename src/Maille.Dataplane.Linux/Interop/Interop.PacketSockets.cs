using System.Runtime.InteropServices;

namespace Maille.Dataplane.Linux.Interop;

public static partial class Libc
{
    internal const int AfPacket = 17;

    /// <summary>ETH_P_ARP in network byte order, as socket(2) and sockaddr_ll want the protocol.</summary>
    internal const ushort EthPArpNetworkOrder = 0x0608;

    /// <summary>struct sockaddr_ll (linux/if_packet.h): 20 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct SockAddrLinkLayer
    {
        public ushort Family;
        public ushort Protocol;
        public int InterfaceIndex;
        public ushort HardwareType;
        public byte PacketType;
        public byte AddressLength;
        public fixed byte Address[8];
    }

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeHandle fd, in SockAddrLinkLayer address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(SafeHandle fd, out SockAddrLinkLayer address, ref uint addressLength);
}
