using System.Net;
using System.Net.Sockets;

namespace Maille.Lab.Tests.Workloads;

/// <summary>
/// Stands in for a pod's network namespace: sockets on 127.0.0.1 with a port the kernel picks, made by the test
/// exactly as the lab makes them inside a namespace, then handed to the server.
/// </summary>
internal static class Loopback
{
    public static Socket ListenTcp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(512);
        return socket;
    }

    public static Socket BindUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static IPEndPoint EndPointOf(Socket socket) => (IPEndPoint)socket.LocalEndPoint!;
}
