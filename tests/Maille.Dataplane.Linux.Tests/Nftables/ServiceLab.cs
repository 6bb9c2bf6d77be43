using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Engine;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>
/// A live two-node lab for a planned cluster, with a <see cref="NodeServiceProxy"/> per node and, in every pod, a TCP
/// server on <see cref="ServerPort"/> that answers each connection with one line, "POD CLIENT-IP", then closes, and a
/// UDP responder on <see cref="UdpPort"/> that answers each datagram with the pod's name.
/// Dispose stops everything and removes the lab's namespaces.
/// </summary>
internal sealed class ServiceLab : IAsyncDisposable
{
    public const int ServerPort = 8080;
    public const int UdpPort = 5353;

    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stop = new();

    private ServiceLab(string name, ClusterState cluster, LabNetwork network)
    {
        Name = name;
        Cluster = cluster;
        Network = network;
    }

    public string Name { get; }

    public ClusterState Cluster { get; private set; }

    public LabNetwork Network { get; }

    public Dictionary<string, NodeServiceProxy> Proxies { get; } = new(StringComparer.Ordinal);

    /// <summary>What each node's last <see cref="SyncAsync"/> did.</summary>
    public Dictionary<string, NodeServiceProxySync> LastSyncs { get; } = new(StringComparer.Ordinal);

    /// <param name="config">The cluster's configuration (default: two nodes, as the golden tables have).</param>
    public static async Task<ServiceLab> StartAsync(string yaml, NodeServiceProxyOptions? options = null, ClusterConfig? config = null)
    {
        var cluster = Maille.TestKit.Cluster.Valid(yaml, config ?? Goldens.TwoNodes);
        var name = TestNames.NewLab();
        LabNetwork? network = null;
        try
        {
            network = LabNetworkBuilder.Build(name, Topology(cluster));
            var lab = new ServiceLab(name, cluster, network);
            foreach (var pod in cluster.Pods.Where(p => p.Status.PodIP is not null && !p.Spec.HostNetwork))
            {
                lab.Serve(pod.QualifiedName);
            }

            foreach (var node in cluster.Nodes)
            {
                lab.Proxies[node.Name] = new NodeServiceProxy(network.Node(node.Name), node.Name, options);
            }

            await lab.SyncAsync(cluster);
            return lab;
        }
        catch
        {
            network?.Dispose();
            LabNetworkBuilder.Teardown(name);
            throw;
        }
    }

    /// <summary>Syncs every node to <paramref name="cluster"/> and fails the test on any sync error.</summary>
    public async Task SyncAsync(ClusterState cluster)
    {
        Cluster = cluster;
        foreach (var proxy in Proxies.Values)
        {
            var sync = await Task.Run(() => proxy.Sync(cluster)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(sync.Error is null, $"{proxy.NodeName}: {sync.Error}");
            LastSyncs[proxy.NodeName] = sync;
        }
    }

    public NetworkNamespace Pod(string key) => Network.Pod(key);

    public NetworkNamespace Node(string name) => Network.Node(name);

    public IPAddress ClusterIP(string service) => Cluster.ServicesByName[service].ClusterIP!;

    public IPAddress PodIP(string pod) => Cluster.PodsByName[pod].Status.PodIP!;

    public IPAddress NodeIP(string node) => Cluster.NodesByName[node].InternalIP!;

    /// <summary>Connects from <paramref name="from"/> and reads the server's line.</summary>
    public static async Task<Answer> AskAsync(NetworkNamespace from, IPAddress address, int port, TimeSpan? timeout = null)
    {
        using var socket = from.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(2));
        var began = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancel.Token);
            var buffer = new byte[256];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(total), cancel.Token);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            var parts = Encoding.ASCII.GetString(buffer, 0, total).Trim().Split(' ');
            return new Answer(AnswerKind.Answered, parts[0], IPAddress.Parse(parts[1]), began.Elapsed);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new Answer(AnswerKind.Refused, null, null, began.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return new Answer(AnswerKind.TimedOut, null, null, began.Elapsed);
        }
    }

    /// <summary>Sends one datagram from <paramref name="socket"/> (bound in a pod) and returns the answering pod, or null after 1 s.</summary>
    public static async Task<string?> AskUdpAsync(Socket socket, IPAddress address, int port)
    {
        await socket.SendToAsync("who"u8.ToArray(), new IPEndPoint(address, port));
        var buffer = new byte[256];
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            var read = await socket.ReceiveAsync(buffer, cancel.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in Proxies.Values)
        {
            proxy.Dispose();
        }

        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Network.Dispose();
        LabNetworkBuilder.Teardown(Name);
        _stop.Dispose();
    }

    private static LabTopology Topology(ClusterState cluster) => new()
    {
        Nodes = new(cluster.Nodes.Select(n => new LabNode
        {
            Name = n.Name,
            Address = n.InternalIP!,
            PrefixLength = cluster.Config.NodeNetwork.PrefixLength,
            PodCidr = n.PodCidr!.Value,
        })),
        // A hostNetwork pod has no namespace of its own: it is its node.
        Pods = new(cluster.Pods.Where(p => p.Status.PodIP is not null && p.Spec.NodeName is not null && !p.Spec.HostNetwork)
            .Select(p => new LabPod { Key = p.QualifiedName, Node = p.Spec.NodeName!, Address = p.Status.PodIP! })),
        ExternalAddress = IpMath.Offset(cluster.Config.NodeNetwork, 2),
        UnderlayGateway = IpMath.Offset(cluster.Config.NodeNetwork, 1),
    };

    private void Serve(string pod)
    {
        var listener = Network.Pod(pod).CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, ServerPort));
        listener.Listen(512);
        _listeners.Add(listener);
        _acceptLoops.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var connection = await listener.AcceptAsync(_stop.Token);
                var seen = ((IPEndPoint)connection.RemoteEndPoint!).Address;
                await connection.SendAsync(Encoding.ASCII.GetBytes($"{pod} {seen}\n"), _stop.Token);
                connection.Shutdown(SocketShutdown.Both);
            }
        }));
        var responder = Network.Pod(pod).CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        responder.Bind(new IPEndPoint(IPAddress.Any, UdpPort));
        _listeners.Add(responder);
        _acceptLoops.Add(Task.Run(async () =>
        {
            var buffer = new byte[64];
            while (!_stop.IsCancellationRequested)
            {
                var received = await responder.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await responder.SendToAsync(Encoding.ASCII.GetBytes(pod), received.RemoteEndPoint, _stop.Token);
            }
        }));
    }
}
