using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE (or NETLINK_NETFILTER) socket of the calling thread's network namespace (System.Net.Sockets has no AF_NETLINK on
/// Linux: <c>new Socket((AddressFamily)16, ...)</c> fails with EAFNOSUPPORT, so this goes through libc).
/// Extended acks are on, and acks do not echo the request, so a large batch's acks stay small.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private const int BufferBytes = 4 << 20;
    private readonly FileDescriptorHandle _handle;

    private NetlinkSocket(FileDescriptorHandle handle) => _handle = handle;

    /// <summary>The descriptor, to poll beside others. Valid while this socket is alive.</summary>
    public int Descriptor => _handle.Number;

    public static NetlinkSocket OpenRoute() => Open(Libc.NetlinkRoute, BufferBytes);

    /// <summary>
    /// A NETLINK_NETFILTER socket whose send buffer takes <paramref name="sendBufferBytes"/> at once: an nftables
    /// batch must reach the kernel in one datagram.
    /// </summary>
    public static NetlinkSocket OpenNetfilter(int sendBufferBytes) => Open(Libc.NetlinkNetfilter, Math.Max(BufferBytes, sendBufferBytes));

    /// <summary>
    /// A NETLINK_NETFILTER socket that listens: bound to the multicast <paramref name="groups"/> (a bit mask, bit N-1 for
    /// group N; 0 for none, as an nfnetlink_log listener, which the kernel writes to directly), with a receive buffer of
    /// <paramref name="receiveBufferBytes"/>. Events the buffer cannot take are lost, and the next receive says so
    /// (<see cref="ReceiveEvents"/>).
    /// </summary>
    public static NetlinkSocket OpenListener(uint groups, int receiveBufferBytes) =>
        Open(Libc.NetlinkNetfilter, BufferBytes, groups, receiveBufferBytes);

    private static NetlinkSocket Open(int protocol, int sendBufferBytes, uint groups = 0, int receiveBufferBytes = BufferBytes)
    {
        var fd = Libc.Socket(Libc.AfNetlink, Libc.SockRaw | Libc.SockCloExec, protocol);
        if (fd < 0)
        {
            throw Libc.LastError("socket AF_NETLINK");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            // A batch of 256 requests brings 256 acks at once: above net.core.rmem_max where privileged (FORCE),
            // else as large as the host allows.
            if (!TrySetOption(handle, Libc.SolSocket, Libc.SoSndBufForce, sendBufferBytes))
            {
                SetOption(handle, Libc.SolSocket, Libc.SoSndBuf, sendBufferBytes);
            }

            if (!TrySetOption(handle, Libc.SolSocket, Libc.SoRcvBufForce, receiveBufferBytes))
            {
                SetOption(handle, Libc.SolSocket, Libc.SoRcvBuf, receiveBufferBytes);
            }

            SetOption(handle, Libc.SolNetlink, Libc.NetlinkCapAck, 1);
            SetOption(handle, Libc.SolNetlink, Libc.NetlinkExtAck, 1);
            var address = new Libc.SockAddrNetlink { Family = Libc.AfNetlink, Groups = groups };
            if (Libc.Bind(handle, address, 12) != 0)
            {
                throw Libc.LastError("bind AF_NETLINK");
            }

            return new NetlinkSocket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Sends one datagram (one or more netlink messages) to the kernel.</summary>
    public unsafe void Send(ReadOnlySpan<byte> messages)
    {
        var kernel = new Libc.SockAddrNetlink { Family = Libc.AfNetlink };
        fixed (byte* buffer = messages)
        {
            var sent = Libc.SendTo(_handle, buffer, (nuint)messages.Length, 0, kernel, 12);
            if (sent != messages.Length)
            {
                throw sent < 0 ? Libc.LastError("sendto netlink") : new IOException($"sendto netlink: sent {sent} of {messages.Length} bytes");
            }
        }
    }

    /// <summary>Receives one datagram; blocks until the kernel answers.</summary>
    public int Receive(Span<byte> buffer) => Receive(buffer, 0);

    /// <summary>Receives one datagram if one is waiting; -1 when none is.</summary>
    public int TryReceive(Span<byte> buffer)
    {
        try
        {
            return Receive(buffer, Libc.MsgDontWait);
        }
        catch (IOException error) when (error.HResult == 11)
        {
            return -1;
        }
    }

    private unsafe int Receive(Span<byte> buffer, int flags)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                var received = Libc.RecvFrom(_handle, pointer, (nuint)buffer.Length, flags, 0, 0);
                if (received >= 0)
                {
                    return (int)received;
                }

                var error = Libc.LastError("recvfrom netlink");
                if (error.HResult != 4)
                {
                    throw error;
                }
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for any of <paramref name="sockets"/> to have a datagram; which ones have.</summary>
    public static unsafe bool[] Wait(IReadOnlyList<NetlinkSocket> sockets, int timeoutMilliseconds)
    {
        var descriptors = stackalloc Libc.PollDescriptor[sockets.Count];
        for (var i = 0; i < sockets.Count; i++)
        {
            descriptors[i] = new Libc.PollDescriptor { Descriptor = sockets[i]._handle.Number, Events = Libc.PollIn };
        }

        var ready = Libc.Poll(descriptors, (nuint)sockets.Count, timeoutMilliseconds);
        if (ready < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Libc.ErrorInterrupted)
        {
            throw Libc.LastError("poll netlink");
        }

        var readable = new bool[sockets.Count];
        for (var i = 0; ready > 0 && i < sockets.Count; i++)
        {
            readable[i] = descriptors[i].ReturnedEvents != 0;
        }

        return readable;
    }

    /// <summary>
    /// Receives one datagram of events without blocking: its length, 0 when none is waiting, or -1 when the kernel
    /// dropped events because the receive buffer was full (ENOBUFS: the socket stays usable; how many is not said).
    /// </summary>
    public unsafe int ReceiveEvents(Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                var received = Libc.RecvFrom(_handle, pointer, (nuint)buffer.Length, Libc.MsgDontWait, 0, 0);
                if (received >= 0)
                {
                    return (int)received;
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case Libc.ErrorNoBuffers:
                        return -1;
                    case Libc.ErrorAgain:
                        return 0;
                    case Libc.ErrorInterrupted:
                        continue;
                    default:
                        throw Libc.LastError("recvfrom netlink");
                }
            }
        }
    }

    /// <summary>Joins (<paramref name="member"/>) or leaves multicast <paramref name="group"/> (its number, not a mask).</summary>
    public void SetMembership(uint group, bool member)
    {
        if (Libc.SetSockOpt(_handle, Libc.SolNetlink, member ? Libc.NetlinkAddMembership : Libc.NetlinkDropMembership, (int)group, sizeof(int)) != 0)
        {
            throw Libc.LastError(member ? "NETLINK_ADD_MEMBERSHIP" : "NETLINK_DROP_MEMBERSHIP");
        }
    }

    public void Dispose() => _handle.Dispose();

    private static bool TrySetOption(FileDescriptorHandle handle, int level, int name, int value) =>
        Libc.SetSockOpt(handle, level, name, value, sizeof(int)) == 0;

    private static void SetOption(FileDescriptorHandle handle, int level, int name, int value)
    {
        if (Libc.SetSockOpt(handle, level, name, value, sizeof(int)) != 0)
        {
            throw Libc.LastError($"setsockopt {level}/{name}");
        }
    }
}
