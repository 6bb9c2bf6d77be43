using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;
using Maille.Engine.Mesh;
using Maille.Lab.Api;
using Maille.Lab.Ingresses;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Mesh;

/// <summary>
/// The lab's waypoints (Istio's L7 proxy, here on YARP), in the daemon: for each waypoint pod
/// (<see cref="WaypointManifests"/>) it serves HBONE on the pod's address, port 15008, with the waypoint's identity,
/// as the node proxies do for pods. A tunnel arrives from a meshed client's node proxy, addressed to a Service's
/// ClusterIP and port; the HTTP inside it is served by Kestrel through <see cref="TunnelTransport"/>, and each request
/// is decided by the engine's <see cref="WaypointRouter"/> — authorization at the waypoint (403), the Service's GAMMA
/// routes with their matches, weights, filters, timeouts and retries, the Service itself when no rule matches — and
/// forwarded by YARP to a ready endpoint of the backend drawn, over a new HBONE tunnel from the waypoint pod with the
/// waypoint's identity when the endpoint is in the mesh (its node proxy judges that identity; a refusal is 503), else
/// in plaintext from the waypoint pod. Certificates rotate with the node proxies'.
/// </summary>
internal sealed partial class WaypointProxy : IAsyncDisposable
{
    private readonly MeshCertificateAuthority _authority;
    private readonly TimeSpan _rotation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DynamicSocketTransport _hbone;
    private readonly DynamicSocketTransport _metricsTransport;
    private readonly TunnelTransport _tunnels;
    private readonly WebApplication _server;
    private readonly IHttpForwarder _forwarder;
    private readonly ConcurrentDictionary<PodId, WaypointInstance> _instances = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _rotationTimer;
    private readonly ForwarderRequestConfig _http11;
    private readonly ForwarderRequestConfig _h2c;
    private WaypointView _view;

    public WaypointProxy(ClusterState cluster, MeshCertificateAuthority authority, TimeSpan rotation, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _authority = authority;
        _rotation = rotation;
        _time = time;
        _logger = loggerFactory.CreateLogger<WaypointProxy>();
        _view = new WaypointView(cluster);
        var hboneEndPoint = new DynamicSocketEndPoint("waypoint-hbone");
        _hbone = new DynamicSocketTransport(hboneEndPoint, new PodServerOptions(), loggerFactory, time);
        var metricsEndPoint = new DynamicSocketEndPoint("waypoint-metrics");
        _metricsTransport = new DynamicSocketTransport(metricsEndPoint, new PodServerOptions(), loggerFactory, time);
        var tunnelEndPoint = new TunnelEndPoint("waypoint");
        _tunnels = new TunnelTransport(tunnelEndPoint);
        var activity = new IngressProxyOptions().UpstreamActivityTimeout;
        _http11 = new ForwarderRequestConfig { ActivityTimeout = activity, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _h2c = new ForwarderRequestConfig { ActivityTimeout = activity, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var builder = WebApplication.CreateSlimBuilder(UnwatchedWebHost.Options());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<IConnectionListenerFactory>(new DynamicTransportSelector([_hbone, _metricsTransport, _tunnels]));
        builder.WebHost.ConfigureKestrel(kestrel => Configure(kestrel, hboneEndPoint, metricsEndPoint, tunnelEndPoint));
        _server = builder.Build();
        _forwarder = _server.Services.GetRequiredService<IHttpForwarder>();
        _server.Run(ProcessRequestAsync);
        _rotationTimer = time.CreateTimer(_ => Rotate(), null, rotation, rotation);
    }

    /// <summary>The requests the waypoints answered, with Istio's names; served on each waypoint pod's 15020.</summary>
    public WaypointMetrics Metrics { get; } = new();

    /// <summary>The waypoint pods served now.</summary>
    public IReadOnlyCollection<PodId> Pods => [.. _instances.Keys];

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    /// <summary>The lab changed: routes, policies, endpoints. New requests are decided on the new view.</summary>
    public void Update(ClusterState cluster) => Volatile.Write(ref _view, new WaypointView(cluster));

    /// <summary>Starts serving waypoint pod <paramref name="pod"/>, whose namespace is <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The pod has no address or is served already.</exception>
    public void AddPod(Pod pod, NetworkNamespace network)
    {
        var id = PodId.From(pod);
        var address = pod.Status.PodIP ?? throw new ArgumentException($"{id} has no address", nameof(pod));
        if (_instances.ContainsKey(id))
        {
            throw new ArgumentException($"{id} is served already", nameof(pod));
        }

        var certificate = new WorkloadCertificate(_authority, new WorkloadIdentity(pod.Namespace, MeshAuthorizer.ServiceAccountOf(pod)), _rotation);
        var hbone = Hbone.Client(network, certificate, (sender, presented) => Hbone.ProvesPod(_authority, a => Volatile.Read(ref _view).PodAt(a), sender, presented));
        var instance = new WaypointInstance(id, network, address, certificate, hbone, UpstreamClient(network, hbone));
        Socket? listening = null, metrics = null;
        try
        {
            listening = MeshSockets.Listen(network, new IPEndPoint(address, MeshPorts.Hbone));
            metrics = MeshSockets.Listen(network, new IPEndPoint(address, WaypointManifests.MetricsPort));
            _hbone.AddListener(new PodPort(id, Protocol.TCP, MeshPorts.Hbone), listening);
            _metricsTransport.AddListener(new PodPort(id, Protocol.TCP, WaypointManifests.MetricsPort), metrics);
            _instances[id] = instance;
            LogWaypointAdded(id, instance.Certificate.Identity.SpiffeId);
        }
        catch
        {
            listening?.Dispose();
            metrics?.Dispose();
            instance.Dispose();
            throw;
        }
    }

    public bool RemovePod(PodId id)
    {
        if (!_instances.TryRemove(id, out var instance))
        {
            return false;
        }

        _hbone.RemoveListener(new PodPort(id, Protocol.TCP, MeshPorts.Hbone));
        _metricsTransport.RemoveListener(new PodPort(id, Protocol.TCP, WaypointManifests.MetricsPort));
        instance.Dispose();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _rotationTimer.DisposeAsync();
        await _stopping.CancelAsync();
        await _tunnels.UnbindAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _server.StopAsync(stop.Token);
        }

        foreach (var id in _instances.Keys)
        {
            RemovePod(id);
        }

        await _server.DisposeAsync();
        await _hbone.DisposeAsync();
        await _metricsTransport.DisposeAsync();
        _stopping.Dispose();
    }

    private Task ProcessRequestAsync(HttpContext context) =>
        context.Features.Get<WaypointTunnel>() is { } tunnel ? ServeCountedAsync(context, tunnel)
        : context.Features.Get<PodPortFeature>()?.Port.Port == WaypointManifests.MetricsPort ? PrometheusEndpoint.WriteAsync(context, Metrics.WriteAsync)
        : AcceptTunnelAsync(context);

    /// <summary>An HBONE tunnel arrived on a waypoint pod's 15008: prove its source, then serve the HTTP inside it.</summary>
    private async Task AcceptTunnelAsync(HttpContext context)
    {
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (context.Features.Get<PodPortFeature>()?.Port.Pod is not { } pod || !_instances.TryGetValue(pod, out var instance)
            || connect is not { IsExtendedConnect: true } || connect.Protocol != MeshPorts.TunnelProtocol
            || !IPEndPoint.TryParse(context.Request.Host.Value ?? "", out var target))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var peer = await Hbone.PeerOfAsync(context, _authority);
        var source = context.Connection.RemoteIpAddress;
        if (peer is null || source is null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        try
        {
            var stream = await connect.AcceptAsync();
            var features = new FeatureCollection();
            features.Set(new WaypointTunnel(instance.Id, source, peer, target));
            await _tunnels.ServeAsync(stream, features, target, new IPEndPoint(source, context.Connection.RemotePort), _stopping.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogTunnelFailed(instance.Id, target, e.Message);
        }
    }

    /// <summary>One request inside a tunnel, counted with Istio's names once answered.</summary>
    private async Task ServeCountedAsync(HttpContext context, WaypointTunnel tunnel)
    {
        var started = _time.GetTimestamp();
        var outcome = new WaypointOutcome();
        try
        {
            await ServeAsync(context, tunnel, outcome);
        }
        finally
        {
            var view = Volatile.Read(ref _view);
            var source = outcome.Source is { } pod ? MeshWorkloadLabels.Of(pod) with { Principal = tunnel.Peer.SpiffeId } : null;
            var service = outcome.Service is { } addressed ? MeshServiceName.Of(addressed.Namespace, addressed.Meta.Name, view.Cluster.Config.DnsDomain) : null;
            var destination = outcome.Endpoint?.Pod is { } name && view.Cluster.PodsByName.GetValueOrDefault(name) is { } endpointPod ? MeshWorkloadLabels.Of(endpointPod) : null;
            var labels = new MeshTrafficLabels(WaypointMetrics.Reporter, source, SourceProved: true, destination, service, MutualTls: true);
            Metrics.Observe(labels, outcome.Flags, context.Response.StatusCode, _time.GetElapsedTime(started));
        }
    }

    /// <summary>One request inside a tunnel: the engine decides, this code carries the decision out.</summary>
    private async Task ServeAsync(HttpContext context, WaypointTunnel tunnel, WaypointOutcome outcome)
    {
        var view = Volatile.Read(ref _view);
        outcome.Source = view.PodAt(tunnel.Source);
        if ((outcome.Service = view.ServiceAt(tunnel.Target)) is not { } service)
        {
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"no Service has the address {tunnel.Target}");
            return;
        }

        // The engine names the source by its pod; the tunnel's certificate must prove that pod's identity.
        if (outcome.Source is not { } source || MeshAuthorizer.IdentityOf(source) != tunnel.Peer.SpiffeId)
        {
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status403Forbidden, $"{tunnel.Peer.SpiffeId} is not the identity of the pod at {tunnel.Source}");
            return;
        }

        var request = IngressProxyApp.GatewayRequestOf(context.Request, tunnel.Target.Port, https: false);
        var (decision, why) = view.Router.Decide(source, service, tunnel.Target.Port, request);
        if (decision is { Backend: not null } && decision.Backends.Count(b => b.Weight > 0) > 1)
        {
            var total = decision.Backends.Sum(b => (long)b.Weight);
            (decision, why) = view.Router.Decide(source, service, tunnel.Target.Port, request, (int)Random.Shared.NextInt64(Math.Min(total, int.MaxValue)));
        }

        if (decision is null)
        {
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, why);
            return;
        }

        if (decision.Route?.Location is { } location)
        {
            context.Response.StatusCode = decision.Status;
            context.Response.Headers.Location = location;
            return;
        }

        if (decision.Status != StatusCodes.Status200OK || decision.Backend is not { } backend)
        {
            if (decision.Status == StatusCodes.Status403Forbidden)
            {
                outcome.Flags = WaypointMetrics.Denied;
                LogDenied(tunnel.Waypoint, service.QualifiedName, tunnel.Peer.SpiffeId, decision.Reason);
            }

            await IngressProxyApp.RefuseAsync(context, decision.Status, decision.Reason);
            return;
        }

        var (endpoints, protocol) = GatewayBackendEndpoints.Of(view.Cluster, backend.Service, backend.Port, grpc: false);
        if (endpoints.IsEmpty)
        {
            outcome.Flags = WaypointMetrics.NoHealthyUpstream;
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"Service {backend.Service} has no ready endpoint for port {backend.Port}");
            return;
        }

        outcome.Endpoint = endpoints[Random.Shared.Next(endpoints.Length)];
        outcome.Flags = await ForwardAsync(context, tunnel, decision, outcome.Endpoint, protocol);
    }

    /// <returns>Envoy's response flags for what happened: <c>-</c>, or why no answer came from the endpoint.</returns>
    private async Task<string> ForwardAsync(HttpContext context, WaypointTunnel tunnel, WaypointDecision decision, IngressEndpoint endpoint, BackendProtocol protocol)
    {
        var route = decision.Route;
        var rewrite = false;
        foreach (var filter in route?.Filters ?? [])
        {
            switch (filter.Type)
            {
                case "RequestHeaderModifier" when filter.RequestHeaderModifier is { } modifier:
                    IngressProxyApp.Modify(context.Request.Headers, modifier);
                    break;
                case "ResponseHeaderModifier" when filter.ResponseHeaderModifier is { } modifier:
                    context.Response.OnStarting(() =>
                    {
                        IngressProxyApp.Modify(context.Response.Headers, modifier);
                        return Task.CompletedTask;
                    });
                    break;
                case "URLRewrite":
                    rewrite = true;
                    break;
            }
        }

        HttpTransformer transformer = rewrite ? new GatewayRewriteTransformer(route!.BackendPath!, route.BackendHost) : ForwardedHeadersTransformer.Instance;
        if (route?.Retry is { } retry)
        {
            transformer = new RetryPolicyTransformer(transformer, retry);
        }

        var instance = _instances.GetValueOrDefault(tunnel.Waypoint);
        if (instance?.Upstream is not { } client)
        {
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"waypoint pod {tunnel.Waypoint} left");
            return WaypointMetrics.NoHealthyUpstream;
        }

        // The route's timeout bounds the whole exchange, retries included: 504 when nothing was sent yet.
        var timeout = IngressProxyApp.Shortest(route?.RequestTimeout, route?.BackendRequestTimeout);
        var clientAborted = context.RequestAborted;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        if (timeout is { } limit)
        {
            timer.CancelAfter(limit);
            context.RequestAborted = timer.Token;
        }

        var error = await _forwarder.SendAsync(context, endpoint.Origin, client, protocol == BackendProtocol.Http ? _http11 : _h2c, transformer);
        context.RequestAborted = clientAborted;
        if (context.Response.HasStarted || error == ForwarderError.None)
        {
            return MeshTrafficLabels.NoFlags;
        }

        context.Features.Set<IForwarderErrorFeature>(null);
        if (timer.IsCancellationRequested && !clientAborted.IsCancellationRequested)
        {
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status504GatewayTimeout, $"{decision.Reason}: no answer within the route's timeout ({timeout})");
            return WaypointMetrics.UpstreamTimeout;
        }

        if (error == ForwarderError.Request)
        {
            // As Envoy answers when the upstream connection fails (and the engine, when the endpoint's node proxy refuses).
            await IngressProxyApp.RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, $"upstream connect error to {endpoint}");
        }

        return WaypointMetrics.UpstreamFailure;
    }

    /// <summary>
    /// The forwarder's client of a waypoint pod: connections to endpoints are HBONE tunnels (meshed pods) or plain
    /// sockets, made from the pod; retries under it. A connection is not kept past a rotation of the waypoint's certificate.
    /// </summary>
    private HttpMessageInvoker UpstreamClient(NetworkNamespace network, HttpMessageInvoker hbone)
    {
        var handler = UpstreamClients.ForwarderHandler((at, cancellationToken) => ConnectAsync(network, hbone, at, cancellationToken));
        handler.ConnectTimeout = TimeSpan.FromSeconds(5);
        handler.PooledConnectionLifetime = _rotation;
        return UpstreamClients.WithRetries(handler, _time);
    }

    private async ValueTask<Stream> ConnectAsync(NetworkNamespace network, HttpMessageInvoker hbone, DnsEndPoint at, CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(at.Host), at.Port);
        var view = Volatile.Read(ref _view);
        if (view.PodAt(endpoint.Address) is { } pod && view.Router.Mesh.IsMeshed(pod))
        {
            var response = await Hbone.OpenAsync(hbone, endpoint.Address, endpoint, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"the node proxy of {pod.QualifiedName} refused the waypoint's tunnel ({status})");
            }

            return new FlushingStream(await response.Content.ReadAsStreamAsync(cancellationToken));
        }

        var socket = network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Rotate()
    {
        foreach (var instance in _instances.Values)
        {
            instance.Certificate.Rotate();
        }
    }

    private void Configure(KestrelServerOptions kestrel, DynamicSocketEndPoint hbone, DynamicSocketEndPoint metrics, TunnelEndPoint tunnels)
    {
        kestrel.Listen(metrics, listen => listen.Protocols = HttpProtocols.Http1);
        kestrel.AddServerHeader = false;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
        kestrel.Limits.MaxRequestBodySize = null; // a tunnel's bytes are its request body
        kestrel.Listen(tunnels, listen => listen.Protocols = HttpProtocols.Http1);
        kestrel.Listen(hbone, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(Hbone.ServerOptions(_authority, pod => _instances.TryGetValue(pod, out var instance) ? instance.Certificate.Current : null));
        });
    }

    [LoggerMessage(EventId = 1830, Level = LogLevel.Information, Message = "Waypoint: serving {Pod} as {Identity}")]
    private partial void LogWaypointAdded(PodId pod, string identity);

    [LoggerMessage(EventId = 1831, Level = LogLevel.Information, Message = "Waypoint {Pod}: denied a request to {Service} from {Peer}: {Reason}")]
    private partial void LogDenied(PodId pod, string service, string peer, string reason);

    [LoggerMessage(EventId = 1832, Level = LogLevel.Debug, Message = "Waypoint {Pod}: a tunnel for {Target} ended: {Reason}")]
    private partial void LogTunnelFailed(PodId pod, IPEndPoint target, string reason);
}
