using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>Reachability checks with sockets made inside namespaces: no ping, no helper process.</summary>
internal static class SocketProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Listens in <paramref name="server"/> on <paramref name="address"/>, connects from <paramref name="client"/>,
    /// and returns the client's address as the server saw it.</summary>
    public static async Task<IPEndPoint> TcpAsync(NetworkNamespace client, NetworkNamespace server, IPAddress address, int port = 8080)
    {
        using var listener = server.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen();
        using var connecting = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await connecting.ConnectAsync(new IPEndPoint(address, port)).WaitAsync(Timeout);
        using var accepted = await accepting.WaitAsync(Timeout);
        await connecting.SendAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        Assert.Equal(4, await accepted.ReceiveAsync(buffer).WaitAsync(Timeout));
        return (IPEndPoint)accepted.RemoteEndPoint!;
    }

    /// <summary>Sends a datagram from <paramref name="client"/> to a socket in <paramref name="server"/>, answers it,
    /// and returns the client's address as the server saw it.</summary>
    public static async Task<IPEndPoint> UdpAsync(NetworkNamespace client, NetworkNamespace server, IPAddress address, int port = 5353)
    {
        using var receiver = server.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(address, port));
        using var sender = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await sender.SendToAsync("hello"u8.ToArray(), new IPEndPoint(address, port));
        var buffer = new byte[16];
        var received = await receiver.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Timeout);
        await receiver.SendToAsync("back"u8.ToArray(), received.RemoteEndPoint);
        var answer = await sender.ReceiveAsync(buffer).WaitAsync(Timeout);
        Assert.Equal("back"u8.ToArray(), buffer[..answer]);
        return (IPEndPoint)received.RemoteEndPoint;
    }
}
