using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Connects to backends from inside the network namespace of the controller pod that accepted the client, so the
/// backend (and every NetworkPolicy on the way) sees that pod's address as the source, as in Kubernetes.
/// </summary>
internal sealed class PodNamespaceUpstreamConnector(Func<PodId, NetworkNamespace?> namespaceOf) : IUpstreamConnector
{
    public async ValueTask<Stream> ConnectAsync(PodId? via, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var ns = via is { } pod ? namespaceOf(pod) : null;
        var socket = ns is null
            ? new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : ns.CreateSocket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
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
