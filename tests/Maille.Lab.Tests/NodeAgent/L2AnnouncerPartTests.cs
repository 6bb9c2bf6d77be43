using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine.LoadBalancing;
using Maille.Lab.Labs;
using Maille.Lab.NodeAgents;
using Maille.Model;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Lab.Tests.NodeAgents;

// IP plan: two nodes, node-1 198.18.0.11 and node-2 198.18.0.12, the external client 198.18.0.2; pods web-1 on node-1
// and web-2 on node-2 (198.19.1.x, 198.19.2.x); the LoadBalancer Service web asks for 198.18.0.210.
public sealed class L2AnnouncerPartTests(ITestOutputHelper output)
{
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.210");

    private static readonly string Yaml = Fixtures.WebPair + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: LoadBalancer
          loadBalancerIP: 198.18.0.210
          selector: {app: web}
          ports: [{port: 8080}]
        """;

    [SkippableFact]
    public async Task The_elected_node_answers_and_a_down_node_hands_its_address_to_the_other_with_gratuitous_arp()
    {
        Privileged.Require();
        var cluster = Cluster.Valid(Yaml, ClusterConfig.Default with { NodeCount = 2 });
        var owner = L2AnnouncerElection.Elect(cluster).Single().Node!;
        var other = owner == "node-1" ? "node-2" : "node-1";
        var lab = "t" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var network = LabNetworkBuilder.Build(lab, LabTopologyMapper.Map(cluster, LabNetworkMode.Routed));
            var external = network.Plan.ExternalNamespace;
            var down = new HashSet<string>(StringComparer.Ordinal);
            using var announcers = Announcers(network, () => down);

            var first = announcers.Sync(cluster);
            Assert.Equal([Vip], announcers[owner].Applied!.Addresses);
            Assert.Empty(announcers[other].Applied!.Addresses);
            Assert.Equal(["default/web"], Assert.Single(announcers[owner].Applied!.Election).Services);
            Assert.Equal(IPAddress.Parse("198.18.0.2"), await ConnectAsync(network.External, network.Node(owner)));
            Assert.Equal(LinkLayer.MacOf(network.Node(owner).Name, LabNames.NodeInterface), LinkLayer.Neighbour(external, Vip));

            down.Add(owner);
            var moved = announcers.Sync(cluster);
            Assert.Equal((1, 1), (moved[owner].CommandCount, moved[other].CommandCount));   // withdrawn here, announced there
            Assert.Equal([Vip], announcers[other].Applied!.Addresses);
            var otherMac = LinkLayer.MacOf(network.Node(other).Name, LabNames.NodeInterface);
            var entry = await LinkLayer.WaitForNeighbourAsync(external, Vip, otherMac, TimeSpan.FromSeconds(2), output);
            Assert.Equal(otherMac, entry.Last);
            Assert.Equal(IPAddress.Parse("198.18.0.2"), await ConnectAsync(network.External, network.Node(other)));
            Assert.DoesNotContain(Vip.ToString(), HostNetworkSnapshot.Run("-n", network.Node(owner).Name, "addr", "show"), StringComparison.Ordinal);

            Assert.All(announcers.Sync(cluster).Values, s => Assert.Equal(0, s.CommandCount));
            Assert.Equal([Vip], announcers[other].Applied!.Addresses);
            Assert.Empty(announcers[owner].Applied!.Addresses);

            down.Clear();
            var back = announcers.Sync(cluster);
            Assert.Equal((1, 1), (back[owner].CommandCount, back[other].CommandCount));
            Assert.Equal([Vip], announcers[owner].Applied!.Addresses);
            Assert.All([first, moved, back], sync => Assert.All(sync.Values, s => Assert.Null(s.Error)));

            announcers.WithdrawAll();
            Assert.All(announcers.Parts.Values, p => Assert.Empty(p.Applied!.Addresses));
            Assert.All(network.Plan.Nodes, n => Assert.DoesNotContain(Vip.ToString(), HostNetworkSnapshot.Run("-n", n.Namespace, "addr", "show"), StringComparison.Ordinal));
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    /// <summary>
    /// The whole failover path, measured: the external client connects to the address every 50 ms; the announcing
    /// node's links go down without warning; the health monitor (150 ms probes, 3 misses) reports it; the speaker moves
    /// the address. The gap between the last answer before and the first answer after is the failover time.
    /// </summary>
    [SkippableFact]
    public async Task After_the_announcing_node_fails_the_address_answers_again_from_the_other_node_within_two_seconds()
    {
        Privileged.Require();
        var cluster = Cluster.Valid(Yaml, ClusterConfig.Default with { NodeCount = 2 });
        var lab = "t" + Guid.NewGuid().ToString("N")[..8];
        using var stop = new CancellationTokenSource();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, LabTopologyMapper.Map(cluster, LabNetworkMode.Routed));
            var servers = network.Plan.Nodes.Select(n => ServeNodeNameAsync(network.Node(n.Name), n.Name, stop.Token)).ToList();
            Assert.All(servers, s => Assert.False(s.IsFaulted));
            await using var monitor = new Dataplane.Linux.L2.NodeHealthMonitor(network.Underlay, network.Plan.Nodes.ToDictionary(n => n.Name, n => n.Address));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var moves = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var announcers = Announcers(network, () => monitor.DownNodes);
            monitor.Changed += change =>
            {
                var synced = announcers.Sync(cluster);
                moves.Enqueue($"{change.Node} {(change.Up ? "up" : "down")} reported at {clock.Elapsed.TotalMilliseconds:F0} ms, addresses now: {string.Join("; ", announcers.Parts.Select(p => $"{p.Key} [{string.Join(", ", p.Value.Applied!.Addresses)}]"))}");
            };
            announcers.Sync(cluster);
            monitor.Start();
            var owner = announcers.Parts.Single(p => p.Value.Applied!.Addresses.Contains(Vip)).Key;

            // A probe starts every 50 ms whatever the earlier ones are doing; each gives up after 900 ms. Replies are
            // timed when they arrive: a probe sent into the outage may wait in the client's ARP queue and be answered
            // by the new node, and it counts when its answer comes, not when it left.
            var probes = new List<Task<(string? Node, TimeSpan At)>>();
            TimeSpan? failedAt = null;
            while (clock.Elapsed < TimeSpan.FromSeconds(8))
            {
                if (failedAt is null && clock.Elapsed > TimeSpan.FromSeconds(1.5))
                {
                    failedAt = clock.Elapsed;
                    TakeLinksDown(network, owner);
                }

                probes.Add(AskNodeNameAsync(network.External, clock));
                if (failedAt is not null && probes.Any(p => p.IsCompletedSuccessfully && p.Result.Node is { } n && n != owner))
                {
                    break;
                }

                await Task.Delay(50);
            }

            var answers = (await Task.WhenAll(probes)).Where(a => a.Node is not null).OrderBy(a => a.At).ToList();
            var before = answers.Last(a => a.At < failedAt!.Value);
            var after = answers.First(a => a.At > failedAt!.Value);
            var failover = after.At - before.At;
            output.WriteLine($"LoadBalancer failover: last reply {before.At.TotalMilliseconds:F0} ms ({before.Node}), first reply after {after.At.TotalMilliseconds:F0} ms ({after.Node}): {failover.TotalMilliseconds:F0} ms (links down at {failedAt!.Value.TotalMilliseconds:F0} ms)");
            output.WriteLine(string.Join("\n", moves));
            Assert.Equal(owner, before.Node);
            Assert.NotEqual(owner, after.Node);
            Assert.True(failover < TimeSpan.FromSeconds(2), $"failover took {failover.TotalMilliseconds:F0} ms");
        }
        finally
        {
            await stop.CancelAsync();
            LabNetworkBuilder.Teardown(lab);
        }
    }

    private static NodeAnnouncers Announcers(LabNetwork network, Func<IReadOnlySet<string>> down)
    {
        var ownership = new L2Ownership();
        return new(network.Plan.Nodes.ToDictionary(n => n.Name, n => new L2AnnouncerPart(n.Name, network.Node(n.Name), down, ownership), StringComparer.Ordinal));
    }

    /// <summary>Every node's announcer, synced at the same moment as their node agents would.</summary>
    private sealed class NodeAnnouncers(Dictionary<string, L2AnnouncerPart> parts) : IDisposable
    {
        public IReadOnlyDictionary<string, L2AnnouncerPart> Parts => parts;

        public L2AnnouncerPart this[string node] => parts[node];

        public Dictionary<string, NodePartSync> Sync(Engine.ClusterState cluster)
        {
            var syncs = parts.ToDictionary(p => p.Key, p => Task.Run(() => p.Value.Sync(cluster, full: false)), StringComparer.Ordinal);
            Task.WaitAll(syncs.Values);
            return syncs.ToDictionary(s => s.Key, s => s.Value.Result, StringComparer.Ordinal);
        }

        public void WithdrawAll()
        {
            foreach (var part in parts.Values)
            {
                part.WithdrawAll();
            }
        }

        public void Dispose() => WithdrawAll();
    }

    /// <summary>A node-wide listener (any address, so whichever node holds the LoadBalancer address answers) that writes the node's name.</summary>
    private static async Task ServeNodeNameAsync(NetworkNamespace node, string name, CancellationToken token)
    {
        using var listener = node.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 18081));
        listener.Listen();
        try
        {
            while (!token.IsCancellationRequested)
            {
                using var accepted = await listener.AcceptAsync(token);
                await accepted.SendAsync(System.Text.Encoding.ASCII.GetBytes(name), token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// One probe from the external client: the answering node's name and when the answer came, or a null name after
    /// 900 ms (before TCP's first SYN retransmission at 1 s).
    /// </summary>
    private static async Task<(string? Node, TimeSpan At)> AskNodeNameAsync(NetworkNamespace client, System.Diagnostics.Stopwatch clock)
    {
        using var socket = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(900));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(Vip, 18081), timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return (System.Text.Encoding.ASCII.GetString(buffer, 0, read), clock.Elapsed);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
            return (null, clock.Elapsed);
        }
    }

    /// <summary>A node fails without a word: its eth0 and its port on the underlay bridge go down.</summary>
    private static void TakeLinksDown(LabNetwork network, string node)
    {
        using (var netlink = Dataplane.Linux.Netlink.RtNetlink.OpenIn(network.Node(node)))
        {
            netlink.SetLinkState(netlink.GetIndex(LabNames.NodeInterface), up: false);
            netlink.Flush();
        }

        using (var netlink = Dataplane.Linux.Netlink.RtNetlink.OpenIn(network.Underlay))
        {
            netlink.SetLinkState(netlink.GetIndex(network.NodePlan(node).UnderlayInterface), up: false);
            netlink.Flush();
        }
    }

    /// <summary>Listens on the LoadBalancer address inside <paramref name="server"/>, connects from <paramref name="client"/>, returns the client address seen.</summary>
    private static async Task<IPAddress> ConnectAsync(NetworkNamespace client, NetworkNamespace server)
    {
        var timeout = TimeSpan.FromSeconds(5);
        using var listener = server.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(Vip, 18080));
        listener.Listen();
        using var connecting = client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await connecting.ConnectAsync(new IPEndPoint(Vip, 18080)).WaitAsync(timeout);
        using var accepted = await accepting.WaitAsync(timeout);
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
    }
}
