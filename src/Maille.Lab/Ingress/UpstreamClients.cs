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

    /// <summary>
    /// A handler as YARP's forwarder wants one (no proxy, redirects, decompression, cookies or activity headers: the
    /// request goes through as it came), with its connections made by <paramref name="connect"/>; shared with the
    /// waypoint's forwarder.
    /// </summary>
    public static SocketsHttpHandler ForwarderHandler(Func<DnsEndPoint, CancellationToken, ValueTask<Stream>> connect) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectCallback = (context, cancellationToken) => connect(context.DnsEndPoint, cancellationToken),
    };

    /// <summary>A matched HTTPRoute rule's retry (GEP-1731) is carried out under the forwarder, at a Gateway as at a waypoint.</summary>
    public static HttpMessageInvoker WithRetries(SocketsHttpHandler handler, TimeProvider time) =>
        new(new Mesh.RetryingHandler(time) { InnerHandler = handler }, disposeHandler: true);

    private HttpMessageInvoker Create(PodId key)
    {
        PodId? via = key == default ? null : key;
        var handler = ForwarderHandler((target, cancellationToken) => ConnectAsync(via, target, cancellationToken));
        handler.PooledConnectionIdleTimeout = options.UpstreamIdleTimeout;
        return WithRetries(handler, TimeProvider.System);
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
