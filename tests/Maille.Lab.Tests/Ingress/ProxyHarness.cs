using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Maille.Engine;
using Maille.Lab.Ingresses;
using Maille.Lab.Tests.Workloads;
using Maille.Lab.Workloads;
using Maille.TestKit;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Ingress;

/// <summary>
/// An Ingress proxy on 127.0.0.1 (HTTP, HTTPS and metrics on ports the kernel picks) routing a planned cluster whose
/// pods are <see cref="TestBackend"/>s: each pod address and container port is mapped to its backend's loopback port
/// by a <see cref="LoopbackConnector"/>. <see cref="Client"/> sends any URL to the proxy (port 443 to the HTTPS
/// listener, others to HTTP), so the URL's host becomes the Host header and the TLS server name.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly List<TestBackend> _backends;
    private readonly ILoggerFactory _loggerFactory;
    private int _clientConnections;
    private int _updates;

    private ProxyHarness(IngressProxy proxy, LoopbackConnector connector, List<TestBackend> backends, RecordingLoggerProvider log, ILoggerFactory loggerFactory)
    {
        Proxy = proxy;
        Connector = connector;
        _backends = backends;
        Log = log;
        _loggerFactory = loggerFactory;
        Http = Bound(IngressListenerRole.Http);
        Https = Bound(IngressListenerRole.Https);
        Metrics = Bound(IngressListenerRole.Metrics);
        Client = NewClient();
    }

    public IngressProxy Proxy { get; }

    public LoopbackConnector Connector { get; }

    public RecordingLoggerProvider Log { get; }

    public IPEndPoint Http { get; }

    public IPEndPoint Https { get; }

    public IPEndPoint Metrics { get; }

    public HttpClient Client { get; }

    /// <summary>The certificate the proxy presented on the last TLS handshake of <see cref="Client"/>.</summary>
    public X509Certificate2? LastServerCertificate { get; private set; }

    /// <summary>Connections <see cref="Client"/> (and clients from <see cref="NewClient"/>) opened to the proxy.</summary>
    public int ClientConnections => Volatile.Read(ref _clientConnections);

    public IReadOnlyList<TestBackend> Backends => _backends;

    /// <param name="dead">Pods whose address accepts no connection (the port is closed).</param>
    public static async Task<ProxyHarness> StartAsync(string yaml, IReadOnlyDictionary<string, HttpProtocols>? protocols = null, IReadOnlyCollection<string>? dead = null)
    {
        var cluster = Cluster.Valid(yaml);
        var connector = new LoopbackConnector();
        var backends = new List<TestBackend>();
        foreach (var pod in cluster.Pods.Where(p => p.Status.PodIP is not null))
        {
            var target = dead?.Contains(pod.QualifiedName) == true ? ClosedPort() : null;
            if (target is null)
            {
                var backend = await TestBackend.StartAsync(pod.QualifiedName, protocols is not null && protocols.TryGetValue(pod.QualifiedName, out var chosen) ? chosen : HttpProtocols.Http1);
                backends.Add(backend);
                target = backend.EndPoint;
            }

            foreach (var port in pod.Spec.AllPorts)
            {
                connector.Map(new IPEndPoint(pod.Status.PodIP!, port.Port), target);
            }
        }

        var log = new RecordingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        var options = new IngressProxyOptions();
        options.HttpEndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.HttpsEndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        options.MetricsEndPoints.Add(new IPEndPoint(IPAddress.Loopback, 0));
        var proxy = new IngressProxy(options, connector, loggerFactory, TimeProvider.System);
        proxy.Update(cluster);
        await proxy.StartAsync(CancellationToken.None);
        return new ProxyHarness(proxy, connector, backends, log, loggerFactory);
    }

    /// <summary>The planned cluster of <paramref name="yaml"/>, for <see cref="IngressProxy.Update"/>.</summary>
    public static ClusterState Plan(string yaml) => Cluster.Valid(yaml);

    /// <summary>A client of its own (its own connection pool) sending every URL to the proxy.</summary>
    /// <param name="to">Where a connection to a URL's port goes (default: 443 to the HTTPS listener, others to HTTP).</param>
    public HttpClient NewClient(Version? version = null, Func<int, IPEndPoint>? to = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _clientConnections);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(to?.Invoke(context.DnsEndPoint.Port) ?? (context.DnsEndPoint.Port == 443 ? Https : Http), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    // The tests judge the certificate themselves (which one the proxy chose), so any is accepted here.
                    LastServerCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return certificate is not null;
                },
            },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Updates <see cref="AlternateWhileAsync"/> has made so far.</summary>
    public int Updates => Volatile.Read(ref _updates);

    /// <summary>
    /// Updates the proxy to <paramref name="b"/> and <paramref name="a"/> in turn, one every 2 ms, until every task of
    /// <paramref name="load"/> is done (2,000 updates at most), then waits for them.
    /// </summary>
    public async Task AlternateWhileAsync(IReadOnlyCollection<Task> load, ClusterState a, ClusterState b)
    {
        while (!load.All(t => t.IsCompleted) && Updates < 2000)
        {
            Proxy.Update(Updates % 2 == 0 ? b : a);
            Interlocked.Increment(ref _updates);
            await Task.Delay(2);
        }

        await Task.WhenAll(load);
    }

    /// <summary>
    /// Hands the proxy a listening socket on loopback as port <paramref name="port"/> of Gateway proxy pod
    /// <paramref name="pod"/> (TLS when <paramref name="tls"/>), as the lab hands over a proxy pod's socket; returns
    /// where clients connect.
    /// </summary>
    public IPEndPoint AddGatewayListener(PodId pod, int port, bool tls)
    {
        var socket = Loopback.ListenTcp();
        var endpoint = Loopback.EndPointOf(socket);
        Proxy.AddListener(tls ? IngressListenerRole.GatewayHttps : IngressListenerRole.GatewayHttp, new PodPort(pod, Model.Protocol.TCP, port), socket);
        return endpoint;
    }

    /// <summary>The body of a GET as <c>name=value</c> pairs (see <see cref="TestBackend"/>), with the status.</summary>
    /// <summary>
    /// The access-log lines written so far, once at least <paramref name="atLeast"/> are there (they reach the logger in
    /// batches, see <c>IngressAccessLog</c>; bounded: 5 s).
    /// </summary>
    public async Task<IReadOnlyList<string>> AccessLogLinesAsync(Xunit.Abstractions.ITestOutputHelper output, int atLeast = 1)
    {
        var waited = await Poll.UntilAsync($"at least {atLeast} access-log lines",
            () => Task.FromResult<IReadOnlyList<string>>([.. Log.Entries.Where(e => e.Category == IngressProxy.AccessLogCategory).SelectMany(e => e.Message.Split('\n'))]),
            lines => lines.Count >= atLeast, output, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
        return waited.Last;
    }

    public async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, string> Fields)> GetAsync(string url, HttpClient? client = null)
    {
        using var response = await (client ?? Client).GetAsync(url);
        return (response.StatusCode, Fields(await response.Content.ReadAsStringAsync()));
    }

    public static IReadOnlyDictionary<string, string> Fields(string body) => body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('=', 2))
        .Where(parts => parts.Length == 2)
        .GroupBy(parts => parts[0])
        .ToDictionary(g => g.Key, g => g.First()[1]);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        _loggerFactory.Dispose();
    }

    private IPEndPoint Bound(IngressListenerRole role) => Proxy.BoundEndPoints.Single(b => b.Role == role).EndPoint;

    private static IPEndPoint ClosedPort()
    {
        using var socket = Loopback.ListenTcp();
        return Loopback.EndPointOf(socket); // closed on dispose: connections are refused
    }
}
