using System.Net;
using Maille.Lab.Workloads;
using Microsoft.AspNetCore.Connections;

namespace Maille.Lab.Ingresses;

/// <summary>
/// The transport Kestrel is given for the proxy, choosing per endpoint: a <see cref="DynamicSocketEndPoint"/> goes to
/// its <see cref="DynamicSocketTransport"/> (sockets handed over at run time), an <see cref="IPEndPoint"/> to Kestrel's
/// own socket transport.
/// </summary>
internal sealed class IngressTransportSelector(IReadOnlyList<DynamicSocketTransport> dynamic, IConnectionListenerFactory sockets)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint || dynamic.Any(t => t.CanBind(endpoint));

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        dynamic.FirstOrDefault(t => t.CanBind(endpoint)) is { } transport
            ? transport.BindAsync(endpoint, cancellationToken)
            : sockets.BindAsync(endpoint, cancellationToken);
}
