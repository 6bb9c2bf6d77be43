using System.Net;
using System.Net.Sockets;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>Connects from this process's own network namespace, whatever <c>via</c> is.</summary>
internal sealed class DirectUpstreamConnector : IUpstreamConnector
{
    public static DirectUpstreamConnector Instance { get; } = new();

    public async ValueTask<Stream> ConnectAsync(PodId? via, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
