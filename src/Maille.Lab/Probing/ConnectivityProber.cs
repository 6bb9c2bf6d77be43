using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Lab.Labs;
using Maille.Model;

namespace Maille.Lab.Probing;

/// <summary>
/// Sends real connections from every pod to every pod of a running lab (or to a seeded sample of the pairs,
/// <see cref="ProbeSample"/>): a TCP connect, or a UDP datagram and its
/// answer, each from a socket opened inside the source pod's namespace, at most <see cref="Parallelism"/> at a time and
/// each bounded by <see cref="Timeout"/>; sockets are opened one source pod at a time (a few sources at once). Compares what happened with what the engine expects.
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
                return await ProbeFromAsync(from, destinations[i], ports, evaluator, gate, cancellationToken);
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
        Pod from, IReadOnlyList<Pod> pods, IReadOnlyList<PortProtocol> ports, NetworkPolicyEvaluator evaluator, SemaphoreSlim gate, CancellationToken cancellationToken)
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
                    return await AttemptAsync(attempt.Socket, attempt.To.Status.PodIP!, attempt.Port, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));

            return [.. batch.Select((a, i) => new ProbeCell(
                from.QualifiedName,
                a.To.QualifiedName,
                a.Port,
                outcomes[i].Succeeded,
                Expected(evaluator, from, a.To, a.Port),
                outcomes[i].Outcome))];
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
    /// The engine's prediction: NetworkPolicy allows the connection, the destination serves the port, and no stopped
    /// node lies between them.
    /// </summary>
    private bool Expected(NetworkPolicyEvaluator evaluator, Pod from, Pod to, PortProtocol port) =>
        (from.Spec.NodeName == to.Spec.NodeName || (!StoppedNodes.Contains(from.Spec.NodeName!) && !StoppedNodes.Contains(to.Spec.NodeName!)))
        && evaluator.Evaluate(from, to, port.Port, port.Protocol).Allowed
        && to.Spec.Containers.Any(c => !Maille.Lab.Workloads.PodWorkloads.RunsOwnProgram(c) && c.Ports.Any(p => p.Port == port.Port && p.Protocol == port.Protocol));

    private async Task<(bool Succeeded, string Outcome)> AttemptAsync(Socket socket, IPAddress address, PortProtocol port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var endPoint = new IPEndPoint(address, port.Port);
        try
        {
            if (port.Protocol == Protocol.TCP)
            {
                await socket.ConnectAsync(endPoint, timeout.Token);
                return (true, "connected");
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
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "unreachable",
                _ => e.SocketErrorCode.ToString(),
            });
        }
    }
}
