using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Lab;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Lab.NodeAgents;
using Maille.Model;

namespace Maille.Lab.Tests.Policy;

/// <summary>
/// A real lab network for a planned cluster (<see cref="LabNetworkBuilder"/>), a <see cref="NodePolicyEnforcer"/> per
/// node (or, in the ebpf data plane, a <see cref="PodPolicyPart"/>: tc programs on every pod's veth), and in every pod a TCP listener, a UDP answerer and an SCTP server on each of <see cref="Ports"/> (or, when
/// asked, on each port its containers declare, hostNetwork pods' in their node's namespace), all made with sockets
/// inside the lab's namespaces. The SCTP server is a raw socket that notes the INIT chunks <see cref="SctpAsync"/> sends. Disposing stops everything and removes the lab's namespaces, even after a failure.
/// </summary>
internal sealed class PolicyLab : IDisposable
{
    public static readonly int[] Ports = [80, 81];

    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    /// <summary>The SCTP INITs on their way, by <see cref="SctpKey"/>, completed when a server's raw socket sees them.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _sctpInits = new(StringComparer.Ordinal);
    private int _sctpSourcePort = 20000;
    private LabNetwork? _network;

    private PolicyLab(string name) => Name = name;

    public string Name { get; }

    public LabNetwork Network => _network!;

    /// <summary>The nftables enforcers, by node (none in the ebpf data plane).</summary>
    public IReadOnlyDictionary<string, NodePolicyEnforcer> Enforcers { get; private set; } = new Dictionary<string, NodePolicyEnforcer>();

    /// <summary>The ebpf data plane's parts, by node (none in the nftables data plane).</summary>
    public IReadOnlyDictionary<string, PodPolicyPart> PodPolicies { get; private set; } = new Dictionary<string, PodPolicyPart>();

    public DataplaneKind Dataplane { get; private set; }

    /// <summary>Whichever part enforces NetworkPolicy on each node.</summary>
    public IEnumerable<(string Node, INodeAgentPart Part)> Parts =>
        Enforcers.Select(e => (e.Key, (INodeAgentPart)e.Value)).Concat(PodPolicies.Select(p => (p.Key, (INodeAgentPart)p.Value)));

    public ClusterState Cluster { get; private set; } = null!;

    /// <summary>
    /// Builds the lab for <paramref name="cluster"/>, starts the servers and the enforcers (not yet synced). With
    /// <paramref name="servesDeclaredPorts"/>, every pod serves the ports its containers declare instead of
    /// <see cref="Ports"/> (SCTP ones as <see cref="SctpInit"/> says: this kernel has no SCTP sockets). With
    /// <paramref name="dataplane"/> ebpf, the tc programs enforce instead of nftables (of the options, only
    /// <see cref="NodePolicyEnforcerOptions.FlushDeniedConnections"/> applies: it forgets the flows a new plan denies).
    /// </summary>
    public static PolicyLab Start(ClusterState cluster, NodePolicyEnforcerOptions? options = null, bool servesDeclaredPorts = false, DataplaneKind dataplane = DataplaneKind.Nftables)
    {
        var lab = new PolicyLab("t" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            lab.Cluster = cluster;
            lab._network = LabNetworkBuilder.Build(lab.Name, LabTopologyMapper.Map(cluster, LabNetworkMode.Routed));
            if (servesDeclaredPorts)
            {
                lab.ServeDeclaredPorts(cluster);
            }
            else
            {
                foreach (var pod in LabTopologyMapper.LabPods(cluster))
                {
                    lab.Serve(lab.Network.Pod(pod.QualifiedName), pod.QualifiedName, Ports.SelectMany(p => new[] { new PortProtocol(p, Protocol.TCP), new PortProtocol(p, Protocol.UDP), new PortProtocol(p, Protocol.SCTP) }));
                }
            }

            lab.Dataplane = dataplane;
            if (dataplane == DataplaneKind.Ebpf)
            {
                lab.PodPolicies = cluster.Nodes.ToDictionary(
                    n => n.Name,
                    n => new PodPolicyPart(new Dataplane.Linux.Ebpf.NodePodPolicy(lab.Network.Node(n.Name), n.Name), c => PodVeths(c, n.Name), options?.FlushDeniedConnections ?? false),
                    StringComparer.Ordinal);
            }
            else
            {
                lab.Enforcers = cluster.Nodes.ToDictionary(n => n.Name, n => new NodePolicyEnforcer(lab.Network.Node(n.Name), n.Name, options), StringComparer.Ordinal);
            }

            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>What each node's last <see cref="Sync"/> did.</summary>
    public Dictionary<string, NodePartSync> LastSyncs { get; } = new(StringComparer.Ordinal);

    /// <summary>Every node's enforcer syncs to <paramref name="cluster"/>; a refused sync fails the test with nft's message.</summary>
    public void Sync(ClusterState cluster)
    {
        Cluster = cluster;
        foreach (var (node, enforcer) in Parts)
        {
            var sync = enforcer.Sync(cluster, full: false);
            Assert.True(sync.Succeeded, $"{node}: {sync.Error}");
            LastSyncs[node] = sync;
        }
    }

    /// <summary>What the ebpf data plane's maps of a node hold after the last sync.</summary>
    public PodPolicyDetails PodPolicyDetails(string node) => (PodPolicyDetails)PodPolicies[node].Details;

    /// <summary>Flows or connections the last syncs of a node forgot because the new plan denied them, in either data plane.</summary>
    public long Flushed(string node) => Dataplane == DataplaneKind.Ebpf ? PodPolicyDetails(node).FlushedFlows : Details(node).FlushedConnections;

    /// <summary>What a node's table holds after the last sync.</summary>
    public PolicyEnforcerDetails Details(string node) => Enforcers[node].Applied!.Details;

    /// <summary>A TCP connect from one pod to another's address: connected, refused, unreachable (rejected by policy) or timeout.</summary>
    public Task<string> TcpAsync(string from, string to, int port, TimeSpan? timeout = null) => TcpAsync(from, AddressOf(to), port, timeout);

    /// <summary>A TCP connect from a pod to any address (a Service's ClusterIP, for one).</summary>
    public async Task<string> TcpAsync(string from, IPAddress to, int port, TimeSpan? timeout = null)
    {
        using var socket = Network.Pod(from).CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        return await Attempt(() => socket.ConnectAsync(new IPEndPoint(to, port)), "connected", timeout);
    }

    /// <summary>A UDP datagram and the answer: answered, or timeout (and unreachable when the kernel reports it).</summary>
    public async Task<string> UdpAsync(string from, string to, int port, TimeSpan? timeout = null)
    {
        using var socket = Network.Pod(from).CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        return await Attempt(async () =>
        {
            await socket.ConnectAsync(new IPEndPoint(AddressOf(to), port));
            await socket.SendAsync(Encoding.ASCII.GetBytes("probe"));
            var buffer = new byte[64];
            await socket.ReceiveAsync(buffer);
        }, "answered", timeout);
    }

    /// <summary>One probe in <paramref name="port"/>'s protocol: <see cref="TcpAsync(string, string, int, TimeSpan?)"/>, <see cref="UdpAsync"/> or <see cref="SctpAsync"/>.</summary>
    public Task<string> ProbeAsync(string from, string to, PortProtocol port, TimeSpan? timeout = null) => port.Protocol switch
    {
        Protocol.TCP => TcpAsync(from, to, port.Port, timeout),
        Protocol.UDP => UdpAsync(from, to, port.Port, timeout),
        _ => SctpAsync(from, to, port.Port, timeout),
    };

    /// <summary>Whether a probe's outcome is a success: connected (TCP), answered (UDP) or arrived (SCTP).</summary>
    public static bool Succeeded(string outcome) => outcome is "connected" or "answered" or "arrived";

    /// <summary>
    /// An SCTP INIT from one pod to another's port (<see cref="SctpInit"/>): arrived when the server's raw socket saw it,
    /// timeout otherwise (a rejected INIT's ICMP error does not reach a raw socket, so a denial is a timeout here).
    /// </summary>
    public async Task<string> SctpAsync(string from, string to, int port, TimeSpan? timeout = null)
    {
        var source = Network.PodPlan(from).Address;
        var sourcePort = 20000 + (Interlocked.Increment(ref _sctpSourcePort) % 40000);
        var arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = SctpKey(source, sourcePort, port);
        _sctpInits[key] = arrival;
        try
        {
            using var socket = Network.Pod(from).CreateRawSocket(SctpInit.Protocol);
            return await Attempt(async () =>
            {
                await socket.SendToAsync(SctpInit.Packet(sourcePort, port, (uint)sourcePort), new IPEndPoint(AddressOf(to), 0));
                await arrival.Task;
            }, "arrived", timeout);
        }
        finally
        {
            _sctpInits.TryRemove(key, out _);
        }
    }

    public IPAddress AddressOf(string pod) => Cluster.PodsByName[pod].Status.PodIP!;

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var (_, enforcer) in Parts)
        {
            enforcer.Dispose();
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        Task.WaitAll([.. _loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default))], TimeSpan.FromSeconds(10));
        _network?.Dispose();
        LabNetworkBuilder.Teardown(Name);
        _stopping.Dispose();
    }

    private static HashSet<string> PodVeths(ClusterState cluster, string node) =>
        [.. LabTopologyMapper.LabPods(cluster).Where(p => p.Spec.NodeName == node).Select(p => LabNames.PodHostInterface(p.QualifiedName))];

    private static async Task<string> Attempt(Func<Task> attempt, string success, TimeSpan? timeout)
    {
        try
        {
            await attempt().WaitAsync(timeout ?? TimeSpan.FromSeconds(2));
            return success;
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "refused",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
                _ => e.SocketErrorCode.ToString(),
            };
        }
    }

    private void ServeDeclaredPorts(ClusterState cluster)
    {
        foreach (var pod in LabTopologyMapper.LabPods(cluster))
        {
            Serve(Network.Pod(pod.QualifiedName), pod.QualifiedName, DeclaredPorts(pod));
        }

        // hostNetwork pods share their node's namespace: each node serves the union of its pods' ports once.
        foreach (var node in cluster.Pods.Where(p => p.Spec.HostNetwork && p.Spec.NodeName is not null).GroupBy(p => p.Spec.NodeName!, StringComparer.Ordinal))
        {
            Serve(Network.Node(node.Key), node.Key, node.SelectMany(DeclaredPorts).Distinct());
        }
    }

    private static IEnumerable<PortProtocol> DeclaredPorts(Pod pod) =>
        pod.Spec.Containers.SelectMany(c => c.Ports).Select(p => new PortProtocol(p.Port, p.Protocol));

    private void Serve(Dataplane.Linux.Netns.NetworkNamespace ns, string name, IEnumerable<PortProtocol> served)
    {
        List<PortProtocol> ports = [.. served];
        foreach (var port in ports)
        {
            if (port.Protocol == Protocol.SCTP)
            {
                continue;
            }

            if (port.Protocol == Protocol.TCP)
            {
                var listener = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _sockets.Add(listener);
                listener.Bind(new IPEndPoint(IPAddress.Any, port.Port));
                listener.Listen(64);
                _loops.Add(AcceptLoop(listener));
            }
            else
            {
                var udp = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                _sockets.Add(udp);
                udp.Bind(new IPEndPoint(IPAddress.Any, port.Port));
                _loops.Add(AnswerLoop(udp, name));
            }
        }

        var sctp = ports.Where(p => p.Protocol == Protocol.SCTP).Select(p => p.Port).ToHashSet();
        if (sctp.Count > 0)
        {
            var raw = ns.CreateRawSocket(SctpInit.Protocol);
            _sockets.Add(raw);
            _loops.Add(SctpLoop(raw, sctp));
        }
    }

    private static string SctpKey(IPAddress source, int sourcePort, int destinationPort) => $"{source}:{sourcePort}>{destinationPort}";

    /// <summary>Notes each INIT that reaches one of <paramref name="ports"/> (a raw socket sees every SCTP packet the namespace receives).</summary>
    private async Task SctpLoop(Socket raw, HashSet<int> ports)
    {
        var buffer = new byte[1500];
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var received = await raw.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stopping.Token);
                if (SctpInit.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var source, out var sourcePort, out var port)
                    && ports.Contains(port) && _sctpInits.TryGetValue(SctpKey(source, sourcePort, port), out var arrival))
                {
                    arrival.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Accepts and echoes each connection until its client closes it or the lab stops (tests hold connections across policy changes).</summary>
    private async Task AcceptLoop(Socket listener)
    {
        var accepted = new List<Socket>();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(_stopping.Token);
                accepted.Add(connection);
                _ = Echo(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var connection in accepted)
            {
                connection.Dispose();
            }
        }
    }

    private async Task Echo(Socket connection)
    {
        var buffer = new byte[256];
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var read = await connection.ReceiveAsync(buffer, _stopping.Token);
                if (read == 0)
                {
                    connection.Dispose();   // the client closed: close too, so the connection ends (conntrack TIME_WAIT)
                    return;
                }

                await connection.SendAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerLoop(Socket udp, string name)
    {
        var buffer = new byte[256];
        var answer = Encoding.ASCII.GetBytes(name);
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var received = await udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stopping.Token);
                await udp.SendToAsync(answer, received.RemoteEndPoint, _stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
