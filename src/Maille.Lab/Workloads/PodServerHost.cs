using System.Net.Sockets;
using Maille.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Maille.Lab.Workloads;

/// <summary>
/// The built-in server of every pod on a lab: one Kestrel server in this process, on a
/// <see cref="DynamicSocketTransport"/>, answers all pods' TCP ports with <see cref="PodHttpApp"/>, and one
/// <see cref="UdpResponder"/> answers their UDP ports. Each TCP port speaks HTTP/1.1 and HTTP/2 by prior knowledge
/// (h2c, what gRPC clients without TLS send), told apart by the connection's first bytes (<see cref="PriorKnowledgeSniffer"/>),
/// so a Service port with <c>appProtocol: kubernetes.io/h2c</c> needs nothing from the pod. Pods and their sockets come and go while it runs; the sockets
/// are created in each pod's network namespace by the caller and owned by the host once added.
/// </summary>
public sealed partial class PodServerHost : IAsyncDisposable
{
    private readonly PodDirectory _pods = new();
    private readonly DynamicSocketTransport _transport;

    // An HTTP/2-only endpoint that never gets a socket of its own: pod connections opening with the HTTP/2 preface
    // are handed to its pipeline, since Kestrel speaks cleartext HTTP/2 only on such an endpoint.
    private readonly DynamicSocketTransport _http2Only;
    private readonly UdpResponder _udp;
    private readonly KestrelServer _server;
    private readonly ServiceProvider _services;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<PodPort> _ports = [];
    private readonly TimeSpan _shutdownTimeout;
    private int _state; // 0 created, 1 started, 2 stopped

    public PodServerHost(PodServerOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid pod server options: {string.Join(" ", errors)}", nameof(options));
        }

        _logger = loggerFactory.CreateLogger<PodServerHost>();
        _shutdownTimeout = options.ShutdownTimeout;
        _services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .BuildServiceProvider();
        _transport = new DynamicSocketTransport(new DynamicSocketEndPoint("maille"), options, loggerFactory, timeProvider);
        _http2Only = new DynamicSocketTransport(new DynamicSocketEndPoint("maille-h2c"), options, loggerFactory, timeProvider);
        _udp = new UdpResponder(options, loggerFactory.CreateLogger<UdpResponder>());
        _server = new KestrelServer(
            Options.Create(KestrelOptions(options, _transport.EndPoint, _http2Only.EndPoint, _services)),
            new DynamicTransportSelector([_transport, _http2Only]),
            loggerFactory);
        Logs = new PodLogs(timeProvider);
        App = new PodHttpApp(_pods, Logs, loggerFactory);
    }

    internal PodHttpApp App { get; }

    /// <summary>The pods' logs: the built-in server's request lines, and the programs' output (<see cref="PodWorkloads"/>).</summary>
    public PodLogs Logs { get; }

    /// <summary>Every TCP and UDP pod port being served.</summary>
    public IReadOnlyCollection<PodPort> Ports
    {
        get
        {
            lock (_gate)
            {
                return [.. _ports];
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The pod server starts once.");
        }

        await _server.StartAsync(App, cancellationToken);
        LogStarted(_transport.EndPoint);
    }

    /// <summary>
    /// Closes every pod socket, then lets open HTTP connections finish until <paramref name="cancellationToken"/>
    /// fires, when Kestrel aborts the rest.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _server.StopAsync(cancellationToken);
        await _udp.DisposeAsync();
        LogStopped(_transport.EndPoint);
    }

    /// <summary>Adds a pod or changes its readiness, which <c>/healthz</c> reports.</summary>
    public void SetPod(PodId pod, bool ready)
    {
        lock (_gate)
        {
            _pods.Set(pod, ready);
        }

        LogPodSet(pod, ready);
    }

    /// <summary>
    /// Stops serving a pod as its process exiting would: its ports are removed and their sockets closed, and so are its
    /// open TCP connections, so their peers see them end. (The lab removes the pod's network right after, which would
    /// otherwise leave a peer, such as a proxy's connection pool, holding a connection that nothing answers, to be
    /// reset by whichever pod gets the address next.)
    /// </summary>
    /// <returns>False when the pod was not served.</returns>
    public bool RemovePod(PodId pod)
    {
        bool removed;
        lock (_gate)
        {
            foreach (var port in _ports.Where(port => port.Pod == pod).ToArray())
            {
                RemovePortLocked(port, closeConnections: true);
            }

            removed = _pods.Remove(pod);
        }

        if (removed)
        {
            LogPodRemoved(pod);
        }

        return removed;
    }

    /// <summary>
    /// Serves <paramref name="port"/> on <paramref name="socket"/>: for TCP a listening socket, answered with HTTP; for
    /// UDP a bound socket, answered with the pod's name. The host owns the socket once this returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pod was not added with <see cref="SetPod"/>.</exception>
    /// <exception cref="ArgumentException">The port is already served, the socket does not fit, or the protocol is SCTP.</exception>
    public void AddPort(PodPort port, Socket socket)
    {
        lock (_gate)
        {
            if (!_pods.Contains(port.Pod))
            {
                throw new InvalidOperationException($"Pod {port.Pod} is not served; add it before its ports.");
            }

            if (_ports.Contains(port))
            {
                throw new ArgumentException($"{port} is already served.", nameof(port));
            }

            switch (port.Protocol)
            {
                case Protocol.TCP:
                    _transport.AddListener(port, socket);
                    break;
                case Protocol.UDP:
                    _udp.Add(port, socket);
                    break;
                default:
                    throw new ArgumentException($"{port}: the built-in server does not serve {port.Protocol}.", nameof(port));
            }

            _ports.Add(port);
        }
    }

    /// <summary>Stops serving one port and closes its socket; open TCP connections on it finish normally.</summary>
    /// <returns>False when the port was not served.</returns>
    public bool RemovePort(PodPort port)
    {
        lock (_gate)
        {
            return RemovePortLocked(port, closeConnections: false);
        }
    }

    private bool RemovePortLocked(PodPort port, bool closeConnections) =>
        _ports.Remove(port) && port.Protocol switch
        {
            Protocol.TCP when closeConnections => _transport.RemoveListenerAndConnections(port),
            Protocol.TCP => _transport.RemoveListener(port),
            _ => _udp.Remove(port),
        };

    /// <summary>Stops (waiting at most <see cref="PodServerOptions.ShutdownTimeout"/> for open connections) and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(_shutdownTimeout))
        {
            await StopAsync(stop.Token);
        }

        _server.Dispose();
        await _udp.DisposeAsync();
        await _transport.DisposeAsync();
        await _http2Only.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static KestrelServerOptions KestrelOptions(PodServerOptions options, DynamicSocketEndPoint pods, DynamicSocketEndPoint http2Only, IServiceProvider services)
    {
        var kestrel = new KestrelServerOptions
        {
            ApplicationServices = services,
            AddServerHeader = false,
            AllowSynchronousIO = false,
        };
        kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentConnections; // /ws
        kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
        kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize;
        kestrel.Limits.MaxRequestBufferSize = options.MaxReadBufferSize;
        // Until its first request a connection may stay silent as long as an idle keep-alive one, as before h2c.
        var sniffer = new PriorKnowledgeSniffer(options.KeepAliveTimeout);
        kestrel.Listen(pods, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(sniffer.Route);
        });
        kestrel.Listen(http2Only, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(sniffer.CaptureHttp2);
        });
        return kestrel;
    }
}
