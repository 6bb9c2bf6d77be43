using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Lab.Workloads;
using Maille.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Mesh;

/// <summary>
/// A node's mesh proxy (ztunnel's role), in the lab's daemon. For each meshed pod of its node it installs the capture
/// (<see cref="MeshCapture"/>) and opens, inside the pod's namespace, the outbound listener (127.0.0.1:15001), the
/// inbound plaintext listener (:15006) and the HBONE listener (POD:15008), as ztunnel's in-pod mode does:
/// <list type="bullet">
/// <item><b>outbound</b>: the original destination (SO_ORIGINAL_DST; a ClusterIP resolved to an endpoint from the
/// node's Service plan) is either a meshed pod — then an HTTP/2 extended CONNECT over mTLS to that pod's 15008,
/// presenting the source pod's certificate — or anything else, connected to as it was (passthrough);</item>
/// <item><b>HBONE</b>: Kestrel, HTTP/2 over TLS 1.3, the destination pod's certificate, a client certificate required
/// and proved against the lab's mesh authority; the engine decides with the certificate's SPIFFE identity and the
/// tunnel's source address (<see cref="MeshAuthorizer.AuthorizePeer"/>); admitted tunnels are connected to the pod
/// from the source pod's own address (IP_TRANSPARENT);</item>
/// <item><b>inbound plaintext</b>: decided by the engine without identity (STRICT refuses it), then carried the same way.</item>
/// </list>
/// Refusals are logged with the engine's reason. Certificates rotate every <c>rotation</c>. Every connection is
/// counted in <see cref="Metrics"/> with Istio's names (outbound as <c>reporter="source"</c>, inbound as
/// <c>reporter="destination"</c>), served in Prometheus' text format on the node's address, port 15020
/// (<see cref="ServeMetrics"/>), as ztunnel serves them.
/// </summary>
internal sealed partial class MeshNodeProxy : IAsyncDisposable
{
    /// <summary>Istio's <c>reporter</c>: the client's proxy reports as the source, the server's as the destination.</summary>
    private const string Source = "source";
    private const string Destination = "destination";

    private readonly string _node;
    private readonly MeshCertificateAuthority _authority;
    private readonly TimeSpan _rotation;
    private readonly ILogger _logger;
    private readonly DynamicSocketTransport _transport;
    private readonly DynamicSocketTransport _metricsTransport;
    private readonly List<PodPort> _metricsListeners = [];
    private readonly WebApplication _server;
    private readonly ConcurrentDictionary<PodId, MeshWorkload> _workloads = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _rotationTimer;
    private MeshView _view;

    public MeshNodeProxy(string node, ClusterState cluster, MeshCertificateAuthority authority, TimeSpan rotation, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _node = node;
        _authority = authority;
        _rotation = rotation;
        _logger = loggerFactory.CreateLogger<MeshNodeProxy>();
        _view = new MeshView(cluster, node);
        var endPoint = new DynamicSocketEndPoint($"mesh:{node}");
        _transport = new DynamicSocketTransport(endPoint, new PodServerOptions(), loggerFactory, time);
        var metricsEndPoint = new DynamicSocketEndPoint($"mesh-metrics:{node}");
        _metricsTransport = new DynamicSocketTransport(metricsEndPoint, new PodServerOptions(), loggerFactory, time);

        // Kestrel's TLS needs its host's services, so the server is a slim WebApplication whose only transport is the
        // pods' sockets (the pod server's DynamicSocketTransport, here for port 15008).
        var builder = WebApplication.CreateSlimBuilder(Api.UnwatchedWebHost.Options());
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IConnectionListenerFactory>(new DynamicTransportSelector([_transport, _metricsTransport]));
        builder.WebHost.ConfigureKestrel(kestrel => Configure(kestrel, endPoint, metricsEndPoint));
        _server = builder.Build();
        _server.Run(ProcessRequestAsync);
        _rotationTimer = time.CreateTimer(_ => RotateCertificates(), null, rotation, rotation);
    }

    /// <summary>The connections this proxy carried and refused, with Istio's metric names.</summary>
    public MeshMetrics Metrics { get; } = new();

    /// <summary>The pods this proxy serves.</summary>
    public IReadOnlyCollection<PodId> Pods => [.. _workloads.Keys];

    /// <summary>A meshed pod's certificate now (for <c>describe</c>-like views and tests).</summary>
    public X509Certificate2? CertificateOf(PodId pod) => _workloads.TryGetValue(pod, out var workload) ? workload.Certificate.Current : null;

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    /// <summary>
    /// What this proxy would decide now, on the view it holds, for a TCP connection from <paramref name="source"/> to
    /// its pod <paramref name="pod"/>'s <paramref name="port"/>: with the identity a meshed source's proxy presents over
    /// HBONE, else as plaintext (for <c>trace --lab</c>). Null when the proxy does not serve that pod.
    /// </summary>
    public MeshVerdict? Decide(IPAddress source, PodId pod, int port)
    {
        var view = Volatile.Read(ref _view);
        if (!_workloads.TryGetValue(pod, out var workload) || view.PodAt(workload.Address) is not { } destination)
        {
            return null;
        }

        var peer = view.PodAt(source) is { } client && view.Authorizer.CarriesOverHbone(client, destination, Protocol.TCP)
            ? new WorkloadIdentity(client.Namespace, MeshAuthorizer.ServiceAccountOf(client))
            : null;
        return view.Authorizer.AuthorizePeer(peer, source, destination, port);
    }

    /// <summary>
    /// Serves <see cref="Metrics"/> over plain HTTP on <paramref name="address"/>:15020 inside the node's namespace
    /// <paramref name="network"/> (ztunnel's port; paths <c>/stats/prometheus</c> and <c>/metrics</c>).
    /// </summary>
    public void ServeMetrics(NetworkNamespace network, IPAddress address)
    {
        var key = new PodPort(new PodId("node", _node), Protocol.TCP, MeshPorts.Metrics);
        var socket = MeshSockets.Listen(network, new IPEndPoint(address, MeshPorts.Metrics));
        _metricsTransport.AddListener(key, socket);
        _metricsListeners.Add(key);
    }

    /// <summary>The lab changed: policies, pods, Services. New connections are decided on the new view.</summary>
    public void Update(ClusterState cluster) => Volatile.Write(ref _view, new MeshView(cluster, _node));

    /// <summary>
    /// Starts serving a meshed pod of this node whose namespace is <paramref name="network"/>; the node's own address
    /// <paramref name="node"/> is left uncaptured (readiness probes).
    /// </summary>
    /// <exception cref="ArgumentException">The pod has no address or is served already.</exception>
    public void AddPod(Pod pod, NetworkNamespace network, IPAddress node)
    {
        var id = PodId.From(pod);
        var address = pod.Status.PodIP ?? throw new ArgumentException($"{id} has no address", nameof(pod));
        if (_workloads.ContainsKey(id))
        {
            throw new ArgumentException($"{id} is already in the mesh", nameof(pod));
        }

        var certificate = new WorkloadCertificate(_authority, new WorkloadIdentity(pod.Namespace, MeshAuthorizer.ServiceAccountOf(pod)), _rotation);
        Socket? outbound = null, inbound = null, hbone = null;
        HttpMessageInvoker? client = null;
        try
        {
            MeshCapture.Install(network, address, node);
            outbound = MeshSockets.Listen(network, new IPEndPoint(IPAddress.Loopback, MeshPorts.Outbound));
            inbound = MeshSockets.Listen(network, new IPEndPoint(IPAddress.Any, MeshPorts.InboundPlaintext));
            hbone = MeshSockets.Listen(network, new IPEndPoint(address, MeshPorts.Hbone));
            client = Hbone.Client(network, certificate, (sender, presented) => Hbone.ProvesPod(_authority, address => Volatile.Read(ref _view).TunnelServerFor(address), sender, presented));
            var workload = new MeshWorkload(id, network, address, certificate, client, outbound, inbound);
            _transport.AddListener(new PodPort(id, Protocol.TCP, MeshPorts.Hbone), hbone);
            _workloads[id] = workload;
            _ = AcceptAsync(workload, workload.Outbound, OutboundAsync);
            _ = AcceptAsync(workload, workload.Inbound, InboundPlaintextAsync);
            LogPodAdded(id, certificate.Identity.SpiffeId, certificate.Current.NotAfter);
        }
        catch
        {
            outbound?.Dispose();
            inbound?.Dispose();
            hbone?.Dispose();
            client?.Dispose();
            certificate.Dispose();
            throw;
        }
    }

    public bool RemovePod(PodId id)
    {
        if (!_workloads.TryRemove(id, out var workload))
        {
            return false;
        }

        _transport.RemoveListener(new PodPort(id, Protocol.TCP, MeshPorts.Hbone));
        workload.Dispose();
        try
        {
            MeshCapture.Uninstall(workload.Network);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            LogUninstallFailed(id, e);
        }

        return true;
    }

    /// <summary>An HBONE tunnel arrived on a pod's 15008: decide, then connect it to the pod.</summary>
    private async Task ProcessRequestAsync(HttpContext context)
    {
        if (context.Connection.LocalPort == MeshPorts.Metrics && !context.Request.IsHttps)
        {
            await PrometheusEndpoint.WriteAsync(context, Metrics.WriteAsync);
            return;
        }

        try
        {
            await TunnelAsync(context);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogTunnelFailed(context.Request.Host.Value ?? "", e);
        }
    }

    private async Task TunnelAsync(HttpContext context)
    {
        var pod = context.Features.Get<PodPortFeature>()?.Port.Pod
            ?? throw new InvalidOperationException("The tunnel carries no pod port; it did not come from the mesh transport.");
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (connect is not { IsExtendedConnect: true } || connect.Protocol != MeshPorts.TunnelProtocol)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var view = Volatile.Read(ref _view);
        if (!_workloads.TryGetValue(pod, out var workload) || view.PodAt(workload.Address) is not { } destination
            || !IPEndPoint.TryParse(context.Request.Host.Value ?? "", out var target) || !target.Address.Equals(workload.Address))
        {
            // A tunnel for another address than the pod whose port it reached: never carried elsewhere.
            LogNotForThisPod(pod, context.Request.Host.Value ?? "");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var peer = await Hbone.PeerOfAsync(context, _authority);
        var source = context.Connection.RemoteIpAddress;
        if (peer is null || source is null)
        {
            LogPeerUnproved(pod, source, context.Connection.ClientCertificate);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // The source is named by the identity its certificate proved; its workload, by the pod at its address.
        var from = view.PodAt(source) is { } sourcePod ? MeshWorkloadLabels.Of(sourcePod) with { Principal = peer.SpiffeId } : UnknownWorkload(peer.SpiffeId);
        using var record = Metrics.Open(new MeshTrafficLabels(Destination, from, SourceProved: true, MeshWorkloadLabels.Of(destination), view.ServiceOfEndpoint(workload.Address, target.Port), MutualTls: true));
        var admission = MeshAdmission.From(view.Authorizer.AuthorizePeer(peer, source, destination, target.Port));
        if (!admission.Admitted)
        {
            LogRefused(pod, target.Port, source, admission.Reason);
            record.Close(MeshTrafficLabels.Denied);
            context.Response.StatusCode = admission.HboneStatus;
            return;
        }

        Socket app;
        try
        {
            app = await ConnectAsPeerAsync(workload, source, target.Port, context.RequestAborted);
        }
        catch (SocketException e)
        {
            LogPodUnreachable(pod, target.Port, e.SocketErrorCode);
            record.Close(MeshTrafficLabels.ConnectFailed);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using (app)
        {
            LogAdmitted(pod, target.Port, source, admission.Reason);
            var tunnel = await connect.AcceptAsync();
            await MeshPipe.RunAsync(app, tunnel, fromSocket: record.Sent, toSocket: record.Received, _stopping.Token);
        }
    }

    /// <summary>A peer proved by its certificate whose pod this proxy does not know (it left, or is not a pod).</summary>
    private static MeshWorkloadLabels UnknownWorkload(string principal) =>
        new(MeshTrafficLabels.Unknown, MeshTrafficLabels.Unknown, MeshTrafficLabels.Unknown, MeshTrafficLabels.Unknown, principal);

    public async ValueTask DisposeAsync()
    {
        await _rotationTimer.DisposeAsync();
        await _stopping.CancelAsync();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _server.StopAsync(stop.Token);
        }

        foreach (var id in _workloads.Keys)
        {
            RemovePod(id);
        }

        foreach (var key in _metricsListeners)
        {
            _metricsTransport.RemoveListener(key);
        }

        await _server.DisposeAsync();
        await _transport.DisposeAsync();
        await _metricsTransport.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>A connection to the pod's <paramref name="port"/> from <paramref name="source"/>, made in the pod's namespace.</summary>
    private static async Task<Socket> ConnectAsPeerAsync(MeshWorkload workload, IPAddress source, int port, CancellationToken cancellationToken)
    {
        var socket = workload.Network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            MeshSockets.SetTransparent(socket);
            MeshSockets.SetMark(socket, MeshPorts.TransparentMark);
            socket.NoDelay = true;
            socket.Bind(new IPEndPoint(source, 0));
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(workload.Address, port), bounded.Token);
            return socket;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptAsync(MeshWorkload workload, Socket listening, Func<MeshWorkload, Socket, Task> handle)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // The pod left the mesh or the proxy stopped.
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(workload, accepted);
                }
                catch (Exception e) when (e is SocketException or IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException or AuthenticationException)
                {
                    LogConnectionFailed(workload.Id, e);
                    MeshSockets.Reset(accepted);
                }
            });
        }
    }

    /// <summary>A connection the pod opened, redirected to 15001.</summary>
    private async Task OutboundAsync(MeshWorkload source, Socket client)
    {
        using (client)
        {
            client.NoDelay = true;
            var original = MeshSockets.OriginalDestination(client);
            var view = Volatile.Read(ref _view);
            var self = view.PodAt(source.Address) is { } sourcePod ? MeshWorkloadLabels.Of(sourcePod) : UnknownWorkload(source.Certificate.Identity.SpiffeId);
            var service = view.ServiceAt(original);

            // A Service that uses a waypoint: the tunnel goes to the waypoint, for the Service's address, as ztunnel
            // sends it; the waypoint picks the endpoint.
            var waypoint = view.WaypointFor(original);
            var target = waypoint is null ? view.Resolve(original, Random.Shared.Next) : original;
            if (target is null)
            {
                LogNoEndpoint(source.Id, original);
                MeshSockets.Reset(client);
                return;
            }

            if ((waypoint ?? view.PodAt(target.Address)) is { } destination && (waypoint is not null || view.Authorizer.IsMeshed(destination)) && !target.Address.Equals(source.Address))
            {
                using var tunneled = Metrics.Open(new MeshTrafficLabels(Source, self, SourceProved: true, MeshWorkloadLabels.Of(destination), service, MutualTls: true));
                try
                {
                    await HboneAsync(source, client, destination.Status.PodIP!, target, tunneled);
                }
                catch
                {
                    tunneled.Close(MeshTrafficLabels.ConnectFailed);
                    throw;
                }

                return;
            }

            // Passthrough: the destination is not in the mesh; connect to where the pod was going, as the pod would have.
            var passedTo = view.PodAt(target.Address) is { } plainPod ? MeshWorkloadLabels.Of(plainPod) with { Principal = MeshTrafficLabels.Unknown } : null;
            using var record = Metrics.Open(new MeshTrafficLabels(Source, self, SourceProved: true, passedTo, service, MutualTls: false));
            using var upstream = source.Network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            MeshSockets.SetMark(upstream, MeshPorts.BypassMark);
            upstream.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(original, _stopping.Token);
            }
            catch
            {
                record.Close(MeshTrafficLabels.ConnectFailed);
                throw;
            }

            await MeshPipe.RunAsync(client, new NetworkStream(upstream, ownsSocket: false), fromSocket: record.Received, toSocket: record.Sent, _stopping.Token);
        }
    }

    /// <summary>Carries the pod's connection to <paramref name="target"/> through the HBONE server at <paramref name="server"/> (the destination pod, or a waypoint).</summary>
    private async Task HboneAsync(MeshWorkload source, Socket client, IPAddress server, IPEndPoint target, MeshConnectionRecord record)
    {
        using var response = await Hbone.OpenAsync(source.Hbone, server, target, _stopping.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            LogTunnelRefused(source.Id, target, (int)response.StatusCode);
            record.Close(response.StatusCode == HttpStatusCode.Forbidden ? MeshTrafficLabels.Denied : MeshTrafficLabels.ConnectFailed);
            MeshSockets.Reset(client);
            return;
        }

        await using var tunnel = await response.Content.ReadAsStreamAsync(_stopping.Token);
        await MeshPipe.RunAsync(client, tunnel, fromSocket: record.Received, toSocket: record.Sent, _stopping.Token);
    }

    /// <summary>Plaintext to the pod's address, redirected to 15006: PeerAuthentication and policy without identity.</summary>
    private async Task InboundPlaintextAsync(MeshWorkload workload, Socket client)
    {
        using (client)
        {
            var original = MeshSockets.OriginalDestination(client);
            var source = ((IPEndPoint)client.RemoteEndPoint!).Address;
            var view = Volatile.Read(ref _view);
            if (view.PodAt(workload.Address) is not { } destination)
            {
                MeshSockets.Reset(client);
                return;
            }

            var from = view.PodAt(source) is { } sourcePod ? MeshWorkloadLabels.Of(sourcePod) : null;
            using var record = Metrics.Open(new MeshTrafficLabels(Destination, from, SourceProved: false, MeshWorkloadLabels.Of(destination), view.ServiceOfEndpoint(workload.Address, original.Port), MutualTls: false));
            var admission = MeshAdmission.From(view.Authorizer.AuthorizePeer(null, source, destination, original.Port));
            if (!admission.Admitted)
            {
                LogRefused(workload.Id, original.Port, source, admission.Reason);
                record.Close(MeshTrafficLabels.Denied);
                MeshSockets.Reset(client);
                return;
            }

            Socket app;
            try
            {
                app = await ConnectAsPeerAsync(workload, source, original.Port, _stopping.Token);
            }
            catch
            {
                record.Close(MeshTrafficLabels.ConnectFailed);
                throw;
            }

            using (app)
            {
                LogAdmitted(workload.Id, original.Port, source, admission.Reason);
                await MeshPipe.RunAsync(client, new NetworkStream(app, ownsSocket: false), fromSocket: record.Received, toSocket: record.Sent, _stopping.Token);
            }
        }
    }

    private void RotateCertificates()
    {
        foreach (var workload in _workloads.Values)
        {
            workload.Certificate.Rotate();
        }

        LogRotated(_node, _workloads.Count);
    }

    private void Configure(KestrelServerOptions kestrel, DynamicSocketEndPoint endPoint, DynamicSocketEndPoint metricsEndPoint)
    {
        kestrel.Listen(metricsEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        kestrel.AddServerHeader = false;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(5);
        kestrel.Limits.MaxRequestBodySize = null; // a tunnel's bytes are its request body
        kestrel.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(Hbone.ServerOptions(_authority, pod => _workloads.TryGetValue(pod, out var workload) ? workload.Certificate.Current : null));
        });
    }
}
