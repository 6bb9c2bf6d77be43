using System.Net.NetworkInformation;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.L2;

/// <summary>
/// A raw AF_PACKET socket for ARP, created inside a namespace and bound to one of its interfaces: it sends whole
/// Ethernet frames out of that interface, and knows the interface's hardware address (getsockname fills it in).
/// </summary>
internal sealed class PacketSocket : IDisposable
{
    private readonly FileDescriptorHandle _handle;

    private PacketSocket(FileDescriptorHandle handle, int interfaceIndex, PhysicalAddress hardwareAddress)
    {
        _handle = handle;
        InterfaceIndex = interfaceIndex;
        HardwareAddress = hardwareAddress;
    }

    public int InterfaceIndex { get; }

    public PhysicalAddress HardwareAddress { get; }

    /// <exception cref="IOException">The interface does not exist in <paramref name="target"/>, or a call failed.</exception>
    public static unsafe PacketSocket Open(NetworkNamespace target, string interfaceName)
    {
        var (fd, index) = target.RunInside(() =>
        {
            var index = (int)Libc.IfNameToIndex(interfaceName);
            if (index == 0)
            {
                throw Libc.LastError($"if_nametoindex {interfaceName} in {target.Name}");
            }

            var fd = Libc.Socket(Libc.AfPacket, Libc.SockRaw | Libc.SockCloExec, Libc.EthPArpNetworkOrder);
            return fd < 0 ? throw Libc.LastError($"socket AF_PACKET in {target.Name}") : (fd, index);
        });
        var handle = new FileDescriptorHandle(fd);
        try
        {
            var address = new Libc.SockAddrLinkLayer { Family = Libc.AfPacket, Protocol = Libc.EthPArpNetworkOrder, InterfaceIndex = index };
            if (Libc.Bind(handle, address, (uint)sizeof(Libc.SockAddrLinkLayer)) != 0)
            {
                throw Libc.LastError($"bind AF_PACKET to {interfaceName} in {target.Name}");
            }

            var length = (uint)sizeof(Libc.SockAddrLinkLayer);
            if (Libc.GetSockName(handle, out var bound, ref length) != 0)
            {
                throw Libc.LastError($"getsockname AF_PACKET {interfaceName} in {target.Name}");
            }

            var mac = new byte[Math.Min((int)bound.AddressLength, 8)];
            for (var i = 0; i < mac.Length; i++)
            {
                mac[i] = bound.Address[i];
            }

            return new PacketSocket(handle, index, new PhysicalAddress(mac));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one whole frame (Ethernet header included) out of the bound interface.</summary>
    public unsafe void Send(ReadOnlySpan<byte> frame)
    {
        fixed (byte* buffer = frame)
        {
            if (Libc.Write(_handle, buffer, (nuint)frame.Length) != frame.Length)
            {
                throw Libc.LastError($"send frame on interface #{InterfaceIndex}");
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
