using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Nftables;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Lab.Labs;
using Maille.Lab.Mesh;
using Maille.Lab.Tests.Workloads;
using Maille.Model;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Tests.Mesh;

/// <summary>
/// A real lab network (<see cref="LabNetworkBuilder"/>, routed) for a planned cluster, a <see cref="MeshNodeProxy"/> per
/// node serving that node's meshed pods, and in every pod, on each TCP port it declares, a server that answers each
/// connection's first line with <c>POD saw PEER: LINE</c> (the peer address it sees) and closes, or, when that line
/// starts with <c>hold</c>, answers every line until the client closes (connections are served concurrently). Counters in the destination node's
/// namespace (<see cref="CountWire"/>) see what crosses the node network. Disposing stops everything and removes the
/// lab's namespaces, also after a failure.
/// </summary>
internal sealed class MeshLab : IAsyncDisposable
{
    private const string CounterTable = "maille_mesh_test";

    private readonly List<Socket> _servers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly ILoggerFactory _loggerFactory;
    private LabNetwork? _network;

    private MeshLab(string name)
    {
        Name = name;
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Debug));
    }

    public string Name { get; }

    public ClusterState Cluster { get; private set; } = null!;

    public LabNetwork Network => _network!;

    public MeshCertificateAuthority Authority { get; } = MeshCertificateAuthority.CreateEphemeral(TimeProvider.System);

    public Dictionary<string, MeshNodeProxy> Proxies { get; } = new(StringComparer.Ordinal);

    /// <summary>What the proxies logged, from Debug up.</summary>
    public RecordingLoggerProvider Log { get; } = new();

    /// <param name="proxyTime">The proxies' clock (their certificate rotation timer); the system's by default.</param>
    /// <param name="rotation">The proxies' certificate rotation period.</param>
    public static async Task<MeshLab> StartAsync(ClusterState cluster, TimeProvider? proxyTime = null, TimeSpan? rotation = null)
    {
        var lab = new MeshLab("m" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            lab.Cluster = cluster;
            lab._network = LabNetworkBuilder.Build(lab.Name, LabTopologyMapper.Map(cluster, LabNetworkMode.Routed));
            foreach (var pod in LabTopologyMapper.LabPods(cluster))
            {
                foreach (var port in pod.Spec.Containers.SelectMany(c => c.Ports).Where(p => p.Protocol == Protocol.TCP))
                {
                    lab.Serve(pod, port.Port);
                }
            }

            var mesh = MeshAuthorizer.For(cluster);
            foreach (var node in cluster.Nodes)
            {
                var proxy = new MeshNodeProxy(node.Name, cluster, lab.Authority, rotation ?? TimeSpan.FromHours(1), lab._loggerFactory, proxyTime ?? TimeProvider.System);
                lab.Proxies[node.Name] = proxy;
                await proxy.StartAsync(CancellationToken.None);
                proxy.ServeMetrics(lab.Network.Node(node.Name), lab.Network.NodePlan(node.Name).Address);
                foreach (var pod in LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node.Name && mesh.IsMeshed(p)))
                {
                    proxy.AddPod(pod, lab.Network.Pod(pod.QualifiedName), lab.Network.NodePlan(node.Name).Address);
                }
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every proxy sees the lab after a change (policies added or removed).</summary>
    public void Update(ClusterState cluster)
    {
        Cluster = cluster;
        foreach (var proxy in Proxies.Values)
        {
            proxy.Update(cluster);
        }
    }

    public IPAddress AddressOf(string pod) => Cluster.PodsByName[pod].Status.PodIP!;

    /// <summary>
    /// A TCP connection from a pod to an address: sends a line, reads to the end. The answer (<c>POD saw PEER: LINE</c>),
    /// or what happened instead: refused, reset, closed (the end without a byte) or timeout.
    /// </summary>
    public async Task<string> ExchangeAsync(string from, IPAddress to, int port, string message = "ping-maille-mesh\n")
    {
        using var socket = Network.Pod(from).CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(to, port), timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(message), timeout.Token);
            var answer = new MemoryStream();
            var buffer = new byte[512];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
            }

            return answer.Length == 0 ? "closed" : Encoding.ASCII.GetString(answer.ToArray());
        }
        catch (OperationCanceledException)
        {
            return "timeout";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "refused",
                SocketError.ConnectionReset => "reset",
                _ => e.SocketErrorCode.ToString(),
            };
        }
    }

    public Task<string> ExchangeAsync(string from, string to, int port) => ExchangeAsync(from, AddressOf(to), port);

    /// <summary>
    /// The metrics <paramref name="node"/>'s proxy serves on its address, port 15020, fetched over HTTP from a socket
    /// inside <paramref name="from"/>'s namespace (the node's own by default), as a scraper in the lab would.
    /// </summary>
    public async Task<(int Status, string Body)> ScrapeAsync(string node, string path = "/stats/prometheus", string? from = null)
    {
        var network = from is null ? Network.Node(node) : Network.Pod(from);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync($"http://{Network.NodePlan(node).Address}:{MeshPorts.Metrics}{path}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Counters in <paramref name="node"/>'s namespace for packets from <paramref name="from"/> to <paramref name="to"/>
    /// as they are forwarded from the node network to the pod: to 15008, to 15008 carrying a TLS record (first payload
    /// byte 0x16 handshake or 0x17 application data), to <paramref name="port"/>, and any whose payload starts with
    /// <paramref name="plaintext"/> (4 ASCII bytes).
    /// </summary>
    public void CountWire(string node, string from, string to, int port, string plaintext)
    {
        var marker = "0x" + Convert.ToHexString(Encoding.ASCII.GetBytes(plaintext[..4])).ToLowerInvariant();
        var (source, destination) = (AddressOf(from), AddressOf(to));
        var rules = $$"""
            table ip {{CounterTable}} {
              counter hbone {}
              counter tls {}
              counter application {}
              counter plaintext {}
              chain forward {
                type filter hook forward priority -300; policy accept;
                ip saddr {{source}} ip daddr {{destination}} tcp dport {{MeshPorts.Hbone}} counter name hbone
                ip saddr {{source}} ip daddr {{destination}} tcp dport {{MeshPorts.Hbone}} @ih,0,8 { 0x16, 0x17 } counter name tls
                ip saddr {{source}} ip daddr {{destination}} tcp dport {{port}} counter name application
                ip saddr {{source}} ip daddr {{destination}} @ih,0,32 {{marker}} counter name plaintext
              }
            }
            """;
        var result = Network.Node(node).RunInside(() =>
        {
            using var nft = NftContext.Create();
            return nft.Run(rules);
        });
        Assert.True(result.Succeeded, result.Error);
    }

    /// <summary>The packets the counters of <see cref="CountWire"/> on <paramref name="node"/> counted.</summary>
    public IReadOnlyDictionary<string, long> WireCounts(string node)
    {
        var result = Network.Node(node).RunInside(() =>
        {
            using var nft = NftContext.Create();
            return nft.Run($"list counters table ip {CounterTable}");
        });
        Assert.True(result.Succeeded, result.Error);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        string? name = null;
        foreach (var line in result.Output.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("counter ", StringComparison.Ordinal))
            {
                name = line.Split(' ')[1];
            }
            else if (name is not null && line.StartsWith("packets ", StringComparison.Ordinal))
            {
                counts[name] = long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var proxy in Proxies.Values)
        {
            await proxy.DisposeAsync();
        }

        foreach (var socket in _servers)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(10));
        _network?.Dispose();
        LabNetworkBuilder.Teardown(Name);
        Authority.Dispose();
        _loggerFactory.Dispose();
        _stopping.Dispose();
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one, cancellationToken) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private void Serve(Pod pod, int port)
    {
        var socket = Network.Pod(pod.QualifiedName).CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _servers.Add(socket);
        socket.Bind(new IPEndPoint(pod.Status.PodIP!, port));
        socket.Listen(128);
        _loops.Add(Task.Run(async () =>
        {
            // Each connection on its own: a held one (HoldAsync) must not keep the next from being answered.
            var connections = new List<Task>();
            while (!_stopping.IsCancellationRequested)
            {
                Socket accepted;
                try
                {
                    accepted = await socket.AcceptAsync(_stopping.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    break;
                }

                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(AnswerAsync(pod, accepted));
            }

            await Task.WhenAll(connections);
        }));
    }

    /// <summary>
    /// Answers a connection's first line with <c>POD saw PEER: LINE</c> and closes; a first line starting with
    /// <c>hold</c> keeps the connection: every line, that one included, is answered (ending with a newline) until the client closes.
    /// </summary>
    private async Task AnswerAsync(Pod pod, Socket accepted)
    {
        using (accepted)
        {
            var peer = (IPEndPoint)accepted.RemoteEndPoint!;

            // The answer waits for the client's line: bytes must cross both ways, as an HTTP exchange needs.
            using var exchange = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            exchange.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                var line = await ReadLineAsync(accepted, exchange.Token);
                if (line.StartsWith("hold", StringComparison.Ordinal))
                {
                    exchange.CancelAfter(HoldLimit);
                    while (line.Length > 0)
                    {
                        await accepted.SendAsync(Encoding.ASCII.GetBytes($"{pod.QualifiedName} saw {peer.Address}: {line}\n"), exchange.Token);
                        line = await ReadLineAsync(accepted, exchange.Token);
                    }

                    return;
                }

                await accepted.SendAsync(Encoding.ASCII.GetBytes($"{pod.QualifiedName} saw {peer.Address}: {line}"), exchange.Token);
                accepted.Shutdown(SocketShutdown.Send);
                var buffer = new byte[256];
                while (await accepted.ReceiveAsync(buffer, exchange.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }

    /// <summary>How long a held connection may last at most (a bound on every test that holds one).</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(90);
}
