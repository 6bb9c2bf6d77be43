using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>
/// One connection pool to the backends per controller pod (per <c>via</c>), so that a connection opened in one
/// controller pod's network namespace is never reused for a request another pod accepted. Connections are kept alive
/// and reused per endpoint (<c>http://ip:port</c>); HTTP/2 ones carry many requests at once. A connection that cannot
/// be made within the connect timeout fails as a connection error, so the next endpoint is tried.
/// </summary>
internal sealed class UpstreamClients(IUpstreamConnector connector, IngressProxyOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<PodId, HttpMessageInvoker> _clients = new();

    /// <summary>The pool for <paramref name="via"/> (null: a listener given by address).</summary>
    public HttpMessageInvoker For(PodId? via) => _clients.GetOrAdd(via ?? default, Create);

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private HttpMessageInvoker Create(PodId key)
    {
        PodId? via = key == default ? null : key;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = options.UpstreamIdleTimeout,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(via, context.DnsEndPoint, cancellationToken),
        };
        // A matched HTTPRoute rule's retry (GEP-1731) is carried out under the forwarder, as at a waypoint.
        return new HttpMessageInvoker(new Mesh.RetryingHandler(TimeProvider.System) { InnerHandler = handler }, disposeHandler: true);
    }

    private async ValueTask<Stream> ConnectAsync(PodId? via, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(target.Host.Trim('[', ']')), target.Port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamConnectTimeout);
        try
        {
            return await connector.ConnectAsync(via, endpoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A connect timeout is reported as a connection error (not as the request timing out), so another
            // endpoint is tried.
            throw new SocketException((int)SocketError.TimedOut);
        }
    }
}
