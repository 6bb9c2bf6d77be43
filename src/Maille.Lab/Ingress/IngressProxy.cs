using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Maille.Engine;
using Maille.Engine.Ingresses;
using Maille.Lab.Gateways;
using Maille.Lab.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Maille's Ingress controller and Gateway data plane: one Kestrel server answering HTTP (80), HTTPS (443, certificate
/// by SNI) and metrics listeners, routing with the engine's <see cref="IngressRouteTable"/>, and the Gateways' proxy
/// pods' listeners (plain or TLS per port, see <c>IngressProxyApp.Gateway.cs</c>) routing with the engine's
/// <c>GatewayRouteTable</c>, and forwarding with YARP straight to
/// ready endpoint pod addresses. <see cref="Update"/> swaps the routing and certificates for a new cluster state at
/// once: requests under way finish on the state they started with, and client and backend connections stay open.
/// Listening sockets are handed over with <see cref="AddListener"/> (made inside the controller pods' network
/// namespaces by the lab) or bound at start from <see cref="IngressProxyOptions"/> addresses.
/// </summary>
public sealed partial class IngressProxy : IAsyncDisposable
{
    /// <summary>The logger category of the access log, one line per request.</summary>
    public const string AccessLogCategory = "Maille.Ingress.Access";

    private readonly IngressProxyOptions _options;
    private readonly Dictionary<IngressListenerRole, DynamicSocketTransport> _transports;
    private readonly WebApplication _host;
    private readonly IServer _server;
    private readonly UpstreamClients _clients;
    private readonly IngressCertificateStore _certificates;
    private readonly DynamicSocketTransport _http2Only;
    private readonly PriorKnowledgeSniffer _sniffer;
    private readonly IngressAccessLog _accessLog;
    private readonly List<(IngressListenerRole Role, ListenOptions Listen)> _addressListeners = [];
    private readonly ILogger _logger;
    private readonly Lock _updateGate = new();
    private IngressProxyState _state;
    private HashSet<string> _reported = [];
    private int _lifecycle; // 0 created, 1 started, 2 stopped

    public IngressProxy(IngressProxyOptions options, IUpstreamConnector? connector, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid Ingress proxy options: {string.Join(" ", errors)}", nameof(options));
        }

        _options = options;
        _logger = loggerFactory.CreateLogger<IngressProxy>();
        _certificates = new IngressCertificateStore(timeProvider);
        _state = new IngressProxyState(IngressRouteTable.Empty, GatewayProxyState.Empty, _certificates.ContextsFor([]), _certificates.Default);
        _clients = new UpstreamClients(connector ?? DirectUpstreamConnector.Instance, options);
        Metrics = new IngressProxyMetrics();
        _transports = Enum.GetValues<IngressListenerRole>().ToDictionary(
            role => role,
            role => new DynamicSocketTransport(new DynamicSocketEndPoint($"ingress-{role.ToString().ToLowerInvariant()}"), options.Transport, loggerFactory, timeProvider));

        // An HTTP/2-only endpoint that never gets a socket of its own: plain-HTTP connections opening with the HTTP/2
        // preface are handed to its pipeline (see PriorKnowledgeSniffer).
        _http2Only = new DynamicSocketTransport(new DynamicSocketEndPoint("ingress-h2c"), options.Transport, loggerFactory, timeProvider);
        _sniffer = new PriorKnowledgeSniffer(options.RequestHeadersTimeout);

        // Kestrel comes from an empty web host (no configuration, no middleware), which registers what its HTTPS
        // support needs; the host itself is never started: the proxy starts the server with its own application.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(ConfigureKestrel);
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(timeProvider);
        builder.Services.AddHttpForwarder();
        var sockets = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        builder.Services.AddSingleton<IConnectionListenerFactory>(new DynamicTransportSelector([.. _transports.Values, _http2Only], sockets));
        _host = builder.Build();
        _server = _host.Services.GetRequiredService<IServer>();
        _accessLog = new IngressAccessLog(loggerFactory.CreateLogger(AccessLogCategory), options, timeProvider);
        App = new IngressProxyApp(() => Volatile.Read(ref _state), _host.Services.GetRequiredService<IHttpForwarder>(), _clients, Metrics, options,
            timeProvider, loggerFactory.CreateLogger<IngressProxyApp>(), _accessLog);
    }

    internal IngressProxyApp App { get; }

    public IngressProxyMetrics Metrics { get; }

    /// <summary>The routing table in force.</summary>
    public IngressRouteTable Routes => Volatile.Read(ref _state).Table;

    /// <summary>What the controller works around in the current state (see <see cref="IngressRouteTable.Problems"/>).</summary>
    public IReadOnlyList<IngressProblem> Problems => Routes.Problems;

    /// <summary>The addresses bound from the options, by role, with the ports chosen for port 0; valid after start.</summary>
    public IReadOnlyList<(IngressListenerRole Role, IPEndPoint EndPoint)> BoundEndPoints =>
        [.. _addressListeners.Select(l => (l.Role, (IPEndPoint)l.Listen.EndPoint))];

    /// <summary>
    /// Routes by <paramref name="cluster"/> from now on: compiles the table (once), loads the certificates of Secrets that
    /// changed, and swaps both in at once. Problems not reported before are logged as warnings.
    /// </summary>
    public void Update(ClusterState cluster)
    {
        var table = IngressRouteTable.Build(cluster);
        var gateways = GatewayProxyState.Of(cluster);
        lock (_updateGate)
        {
            var secrets = table.Tls.Entries.Where(e => e.IsUsable).Select(e => e.Secret!).Concat(gateways.Secrets());
            var state = new IngressProxyState(table, gateways, _certificates.ContextsFor(secrets), _certificates.Default);
            Volatile.Write(ref _state, state);
            var current = table.Problems.Select(p => p.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var problem in current.Where(p => !_reported.Contains(p)))
            {
                LogProblem(problem);
            }

            _reported = current;
        }

        LogUpdated(table.Selection.Served.Count, table.Hosts.Exact.Count + table.Hosts.Wildcard.Count + (table.AnyHost is null ? 0 : 1));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _lifecycle, 1, 0) != 0)
        {
            throw new InvalidOperationException("The Ingress proxy starts once.");
        }

        await _server.StartAsync(App, cancellationToken);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var bound = string.Join(", ", BoundEndPoints.Select(b => $"{b.Role} {b.EndPoint}"));
            LogStarted(bound);
        }
    }

    /// <summary>Stops accepting, then lets requests under way finish until <paramref name="cancellationToken"/> fires.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _lifecycle, 2) != 1)
        {
            return;
        }

        await _server.StopAsync(cancellationToken);
        LogStopped();
    }

    /// <summary>
    /// Serves <paramref name="role"/> on <paramref name="socket"/>, a listening TCP socket of controller pod
    /// <paramref name="key"/>'s network namespace; requests it accepts are forwarded from that pod (see
    /// <see cref="IUpstreamConnector"/>). The proxy owns the socket from here on. Works before and after start.
    /// </summary>
    public void AddListener(IngressListenerRole role, PodPort key, Socket socket) => _transports[role].AddListener(key, socket);

    /// <summary>Closes the listening socket of <paramref name="key"/>; connections it accepted carry on.</summary>
    public bool RemoveListener(IngressListenerRole role, PodPort key) => _transports[role].RemoveListener(key);

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(_options.ShutdownTimeout))
        {
            await StopAsync(stop.Token);
        }

        await _host.DisposeAsync();
        foreach (var transport in _transports.Values.Append(_http2Only))
        {
            await transport.DisposeAsync();
        }

        _clients.Dispose();
        await _accessLog.DisposeAsync();
    }

    private void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        kestrel.AllowSynchronousIO = false;
        kestrel.Limits.MaxConcurrentConnections = _options.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = null;
        kestrel.Limits.KeepAliveTimeout = _options.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = _options.RequestHeadersTimeout;
        kestrel.Limits.MaxRequestBodySize = _options.MaxRequestBodySize;
        foreach (var (role, transport) in _transports)
        {
            kestrel.Listen(transport.EndPoint, listen => Configure(listen, role));
        }

        kestrel.Listen(_http2Only.EndPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(_sniffer.CaptureHttp2);
        });

        foreach (var (role, addresses) in new[]
        {
            (IngressListenerRole.Http, _options.HttpEndPoints),
            (IngressListenerRole.Https, _options.HttpsEndPoints),
            (IngressListenerRole.Metrics, _options.MetricsEndPoints),
        })
        {
            foreach (var address in addresses)
            {
                kestrel.Listen(address, listen =>
                {
                    Configure(listen, role);
                    _addressListeners.Add((role, listen));
                });
            }
        }
    }

    private void Configure(ListenOptions listen, IngressListenerRole role)
    {
        var feature = new IngressListenerFeature(role);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        switch (role)
        {
            case IngressListenerRole.Https:
                UseTls(listen, context => Volatile.Read(ref _state).CertificateFor(context.ClientHelloInfo.ServerName));
                break;
            case IngressListenerRole.GatewayHttps:
                UseTls(listen, context => Volatile.Read(ref _state).GatewayCertificateFor(context.Connection.Features.Get<PodPortFeature>()?.Port, context.ClientHelloInfo.ServerName));
                break;
            case IngressListenerRole.Http or IngressListenerRole.GatewayHttp:
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(_sniffer.Route);
                break;
            default:
                listen.Protocols = HttpProtocols.Http1;
                break;
        }
    }

    /// <summary>TLS with the certificate <paramref name="certificate"/> picks per handshake (by SNI), HTTP/1.1 or HTTP/2 by ALPN.</summary>
    private void UseTls(ListenOptions listen, Func<TlsHandshakeCallbackContext, SslStreamCertificateContext> certificate)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = _options.TlsHandshakeTimeout,
            OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate(context),
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            }),
        });
    }
}
