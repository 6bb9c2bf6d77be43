using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Maille.Lab.Mesh;

/// <summary>The Linux socket options the node proxy needs, through .NET's raw option calls (no P/Invoke).</summary>
internal static class MeshSockets
{
    private const int SolSocket = 1;
    private const int SoMark = 36;
    private const int SolIp = 0;
    private const int IpTransparent = 19;
    private const int SoOriginalDst = 80;

    /// <summary>A TCP socket listening on <paramref name="endPoint"/> inside <paramref name="network"/> (a socket keeps the namespace it was made in).</summary>
    public static Socket Listen(Dataplane.Linux.Netns.NetworkNamespace network, IPEndPoint endPoint)
    {
        var socket = network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Marks every packet the socket sends (SO_MARK, needs CAP_NET_ADMIN).</summary>
    public static void SetMark(Socket socket, uint mark)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, mark);
        socket.SetRawSocketOption(SolSocket, SoMark, value);
    }

    /// <summary>Lets the socket bind to an address that is not the namespace's own (IP_TRANSPARENT, needs CAP_NET_ADMIN).</summary>
    public static void SetTransparent(Socket socket)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(value, 1);
        socket.SetRawSocketOption(SolIp, IpTransparent, value);
    }

    /// <summary>Where a connection redirected by nftables was going (SO_ORIGINAL_DST: conntrack's original destination).</summary>
    public static IPEndPoint OriginalDestination(Socket socket)
    {
        Span<byte> address = stackalloc byte[16]; // struct sockaddr_in
        var length = socket.GetRawSocketOption(SolIp, SoOriginalDst, address);
        if (length < 8)
        {
            throw new SocketException((int)SocketError.InvalidArgument);
        }

        return new IPEndPoint(new IPAddress(address.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(address.Slice(2, 2)));
    }

    /// <summary>Closes with a TCP reset (linger 0), as ztunnel refuses a connection.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone: closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        socket.Dispose();
    }
}
