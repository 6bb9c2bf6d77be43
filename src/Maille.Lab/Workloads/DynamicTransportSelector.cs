using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Maille.Lab.Workloads;

/// <summary>
/// The transport Kestrel is given when a server has several <see cref="DynamicSocketTransport"/>s (one per kind of
/// listener, each with its own endpoint options), choosing per endpoint: a <see cref="DynamicSocketEndPoint"/> goes to
/// its transport (sockets handed over at run time), an <see cref="IPEndPoint"/> to <paramref name="sockets"/>
/// (Kestrel's own socket transport) when there is one. Other transports that choose their endpoints (the waypoint's
/// tunnels) are chosen the same way.
/// </summary>
internal sealed class DynamicTransportSelector(IReadOnlyList<IConnectionListenerFactorySelector> dynamic, IConnectionListenerFactory? sockets = null)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => (endpoint is IPEndPoint && sockets is not null) || dynamic.Any(t => t.CanBind(endpoint));

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        dynamic.FirstOrDefault(t => t.CanBind(endpoint)) is IConnectionListenerFactory transport
            ? transport.BindAsync(endpoint, cancellationToken)
            : sockets?.BindAsync(endpoint, cancellationToken) ?? throw new NotSupportedException($"No transport binds {endpoint}.");
}
