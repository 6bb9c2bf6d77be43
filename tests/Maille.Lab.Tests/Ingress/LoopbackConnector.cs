using System.Collections.Concurrent;
using System.Net;
using Maille.Lab.Ingresses;
using Maille.Lab.Workloads;

namespace Maille.Lab.Tests.Ingress;

/// <summary>
/// Stands in for the controller pod's network namespace: connects to the loopback address a pod address is mapped to
/// (a pod address with no mapping is refused as an unreachable host would be), and records which controller pod each
/// connection was made for.
/// </summary>
internal sealed class LoopbackConnector : IUpstreamConnector
{
    private readonly ConcurrentDictionary<IPEndPoint, IPEndPoint> _map = new();

    public ConcurrentQueue<(PodId? Via, IPEndPoint Endpoint)> Connects { get; } = new();

    public void Map(IPEndPoint podEndpoint, IPEndPoint loopback) => _map[podEndpoint] = loopback;

    public ValueTask<Stream> ConnectAsync(PodId? via, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        Connects.Enqueue((via, endpoint));
        if (!_map.TryGetValue(endpoint, out var target))
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostUnreachable);
        }

        return DirectUpstreamConnector.Instance.ConnectAsync(via, target, cancellationToken);
    }
}
