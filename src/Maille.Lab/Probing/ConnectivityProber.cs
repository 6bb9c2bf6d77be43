using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Probing;

/// <summary>
/// Sends real connections from every pod to every pod of a running lab (or to a seeded sample of the pairs,
/// <see cref="ProbeSample"/>): a TCP connect, or a UDP datagram and its
/// answer, each from a socket opened inside the source pod's namespace, at most <see cref="Parallelism"/> at a time and
/// each bounded by <see cref="Timeout"/>; sockets are opened one source pod at a time (a few sources at once). Compares what happened with what the engine expects.
/// When the source or the destination is in the mesh a TCP connect proves nothing (a meshed client's connect ends at its
/// own node proxy, and a meshed server's node proxy accepts plaintext before judging it), so the attempt is an exchange:
/// a request line sent, and an answer from the pod's server awaited; the node proxy's refusal is a reset or a close
/// without a byte (docs/mesh.md).
/// </summary>
internal sealed class ConnectivityProber(ClusterState cluster, string lab)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int Parallelism { get; init; } = 64;

    /// <summary>
    /// Source pods whose sockets are open at once (each holds one per destination and port): enough to keep
    /// <see cref="Parallelism"/> attempts busy without opening pods² × ports sockets, which runs out of descriptors at scale.
    /// </summary>
    public int SourcesAtOnce { get; init; } = 4;

    /// <summary>Nodes cut off the node network (<c>maille node stop</c>): their pods reach only pods on the same node.</summary>
    public IReadOnlySet<string> StoppedNodes { get; init; } = new HashSet<string>();

    /// <summary>The pods a probe of <paramref name="onlyNamespace"/> (or of every namespace) connects, in matrix order.</summary>
    public IReadOnlyList<Pod> Pods(string? onlyNamespace) =>
        // The lab's own pods (cluster DNS) are not the user's: probe compares with `maille matrix` over the user's pods.
        [.. LabTopologyMapper.LabPods(cluster)
            .Where(p => !LabPlanner.IsSystem(p) && (onlyNamespace is null || p.Namespace == onlyNamespace))
            .OrderBy(p => p.QualifiedName, StringComparer.Ordinal)];

    /// <summary>Probes every ordered pair of pods on each port, or with <paramref name="sample"/> only the pairs it draws.</summary>
    public async Task<ProbeReport> ProbeAsync(IReadOnlyList<PortProtocol> ports, string? onlyNamespace, CancellationToken cancellationToken, ProbeSample? sample = null)
    {
        var clock = Stopwatch.StartNew();
        var pods = Pods(onlyNamespace);
        var destinations = sample is null
            ? pods.Select(_ => pods).ToList()
            : Destinations(pods, sample.Draw(pods.Count));
        var evaluator = NetworkPolicyEvaluator.For(cluster);
        var mesh = MeshAuthorizer.For(cluster);
        using var gate = new SemaphoreSlim(Parallelism);

        // Enough sources at once to keep the gate busy: a sampled source may have only a few destinations.
        var perSourceAttempts = Math.Max(1, destinations.Sum(d => d.Count) * ports.Count / Math.Max(1, pods.Count));
        using var sources = new SemaphoreSlim(Math.Max(SourcesAtOnce, 2 * Parallelism / perSourceAttempts));
        var perSource = await Task.WhenAll(pods.Select(async (from, i) =>
        {
            if (destinations[i].Count == 0)
            {
                return [];
            }

            await sources.WaitAsync(cancellationToken);
            try
            {
                return await ProbeFromAsync(from, destinations[i], ports, evaluator, mesh, gate, cancellationToken);
            }
            finally
            {
                sources.Release();
            }
        }));

        var cells = perSource.SelectMany(c => c);
        var order = ports.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        return new ProbeReport(
            [.. pods.Select(p => p.QualifiedName)],
            [.. ports],
            [.. cells.OrderBy(c => order[c.Port]).ThenBy(c => c.From, StringComparer.Ordinal).ThenBy(c => c.To, StringComparer.Ordinal)],
            clock.Elapsed)
        {
            Sample = sample,
        };
    }

    private static List<IReadOnlyList<Pod>> Destinations(IReadOnlyList<Pod> pods, IReadOnlyList<(int From, int To)> pairs)
    {
        var lists = pods.Select(_ => new List<Pod>()).ToList();
        foreach (var (from, to) in pairs)
        {
            lists[from].Add(pods[to]);
        }

        return [.. lists];
    }

    /// <summary>
    /// One source pod's wave: its sockets are opened in one visit to its namespace (a socket belongs to the namespace
    /// it was created in), its attempts run through the shared <paramref name="gate"/>, and its sockets are closed
    /// before the wave ends, whatever happened; only <see cref="SourcesAtOnce"/> waves hold sockets at a time.
    /// </summary>
    private async Task<List<ProbeCell>> ProbeFromAsync(
        Pod from, IReadOnlyList<Pod> pods, IReadOnlyList<PortProtocol> ports, NetworkPolicyEvaluator evaluator, MeshAuthorizer mesh, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        List<(Pod To, PortProtocol Port, Socket Socket)> batch;
        using (var ns = NetworkNamespace.Open(LabNames.Pod(lab, from.QualifiedName)))
        {
            batch = ns.RunInside(() => OpenSockets(pods, ports));
        }

        try
        {
            var outcomes = await Task.WhenAll(batch.Select(async attempt =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    var exchange = mesh.HasMeshedPods && (mesh.IsMeshed(from) || mesh.IsMeshed(attempt.To));
                    return await AttemptAsync(attempt.Socket, attempt.To.Status.PodIP!, attempt.Port, exchange, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));

            return [.. batch.Select((a, i) =>
            {
                var (expected, reason) = Expected(evaluator, mesh, from, a.To, a.Port);
                return new ProbeCell(from.QualifiedName, a.To.QualifiedName, a.Port, outcomes[i].Succeeded, expected, outcomes[i].Outcome) { Reason = reason };
            })];
        }
        finally
        {
            foreach (var attempt in batch)
            {
                attempt.Socket.Dispose();
            }
        }
    }

    /// <summary>One socket per destination and port, opened on the calling thread; on failure none stays open.</summary>
    private static List<(Pod To, PortProtocol Port, Socket Socket)> OpenSockets(IReadOnlyList<Pod> pods, IReadOnlyList<PortProtocol> ports)
    {
        var opened = new List<(Pod To, PortProtocol Port, Socket Socket)>(pods.Count * ports.Count);
        try
        {
            foreach (var port in ports)
            {
                foreach (var to in pods)
                {
                    opened.Add((to, port, NewSocket(port.Protocol)));
                }
            }

            return opened;
        }
        catch
        {
            foreach (var attempt in opened)
            {
                attempt.Socket.Dispose();
            }

            throw;
        }
    }

    private static Socket NewSocket(Protocol protocol) => protocol == Protocol.TCP
        ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>
    /// The engine's prediction, as <c>maille matrix</c> makes it: NetworkPolicy allows the connection on the port it
    /// judges (15008/TCP between two meshed pods: HBONE), the destination's node proxy admits it when the destination is
    /// meshed (PeerAuthentication, then AuthorizationPolicy), the destination serves the port, and no stopped node lies
    /// between them. With it, why the engine expects a denial, or null.
    /// </summary>
    private (bool Allowed, string? Reason) Expected(NetworkPolicyEvaluator evaluator, MeshAuthorizer mesh, Pod from, Pod to, PortProtocol port)
    {
        if (from.Spec.NodeName != to.Spec.NodeName && (StoppedNodes.Contains(from.Spec.NodeName!) || StoppedNodes.Contains(to.Spec.NodeName!)))
        {
            return (false, "a stopped node lies between them");
        }

        var judged = mesh.PolicyPort(from, to, port.Port, port.Protocol);
        var policy = evaluator.Evaluate(from, to, judged.Port, judged.Protocol);
        if (!policy.Allowed)
        {
            return (false, judged == port ? $"NetworkPolicy: {policy}" : $"NetworkPolicy on {judged} (HBONE): {policy}");
        }

        // A pod reaching its own address is never judged by the mesh (the capture leaves it alone, as the matrix does).
        if (from.QualifiedName != to.QualifiedName && mesh.Authorize(evaluator.EndpointOf(from), to, port.Port, port.Protocol) is { Allowed: false } refused)
        {
            return (false, $"mesh: {refused}");
        }

        return to.Spec.Containers.Any(c => !Maille.Lab.Workloads.PodWorkloads.RunsOwnProgram(c) && c.Ports.Any(p => p.Port == port.Port && p.Protocol == port.Protocol))
            ? (true, null)
            : (false, $"{to.QualifiedName} does not serve {port}");
    }

    /// <summary>The request line an exchange sends: the pod server answers it (docs/pod-server.md), as any line-reading server would.</summary>
    private static readonly byte[] ExchangeRequest = Encoding.ASCII.GetBytes("GET /hostname HTTP/1.0\r\nUser-Agent: maille-probe\r\n\r\n");

    /// <param name="exchange">A TCP attempt sends a request and succeeds only when an answer comes, not at the connect.</param>
    private async Task<(bool Succeeded, string Outcome)> AttemptAsync(Socket socket, IPAddress address, PortProtocol port, bool exchange, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var endPoint = new IPEndPoint(address, port.Port);
        try
        {
            if (port.Protocol == Protocol.TCP)
            {
                await socket.ConnectAsync(endPoint, timeout.Token);
                if (!exchange)
                {
                    return (true, "connected");
                }

                await socket.SendAsync(ExchangeRequest, timeout.Token);
                var answer = new byte[64];
                var read = await socket.ReceiveAsync(answer, timeout.Token);
                if (read == 0)
                {
                    return (false, "closed");
                }

                var firstLine = Encoding.ASCII.GetString(answer, 0, read).Split('\r', '\n')[0];
                return (true, $"answered {firstLine}");
            }

            await socket.SendToAsync(Encoding.ASCII.GetBytes("maille-probe"), endPoint, timeout.Token);
            var buffer = new byte[512];
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            return (true, $"answered {Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "timeout");
        }
        catch (SocketException e)
        {
            return (false, e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "refused",
                SocketError.ConnectionReset => "reset",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
                _ => e.SocketErrorCode.ToString(),
            });
        }
    }
}
