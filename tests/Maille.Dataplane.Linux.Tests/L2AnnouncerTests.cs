using System.Diagnostics;
using System.Net;
using Maille.Dataplane.Linux.L2;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netlink;
using Maille.TestKit;
using Xunit.Abstractions;

namespace Maille.Dataplane.Linux.Tests;

// IP plan (TestTopologies.Make(2, 0)): underlay bridge 198.18.0.1/24, external client 198.18.0.2, node1 198.18.0.11,
// node2 198.18.0.12; the LoadBalancer address moved between them is 198.18.0.200.
public sealed class L2AnnouncerTests(ITestOutputHelper output)
{
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.200");

    [SkippableFact]
    public async Task An_announced_address_answers_arp_from_its_node_and_gratuitous_arp_moves_it_to_the_next()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 0));
            var node1 = network.Node("node1");
            var node2 = network.Node("node2");
            var (mac1, mac2) = (LinkLayer.MacOf(node1.Name, LabNames.NodeInterface), LinkLayer.MacOf(node2.Name, LabNames.NodeInterface));
            Assert.NotEqual(mac1, mac2);
            using (var socket = PacketSocket.Open(node1, LabNames.NodeInterface))
            {
                Assert.Equal(mac1, socket.HardwareAddress);
            }

            Assert.True(L2Announcer.Announce(node1, LabNames.NodeInterface, Vip));
            Assert.False(L2Announcer.Announce(node1, LabNames.NodeInterface, Vip));
            var seen = await SocketProbe.TcpAsync(network.External, node1, Vip);
            Assert.Equal(IPAddress.Parse("198.18.0.2"), seen.Address);
            Assert.Equal(mac1, LinkLayer.Neighbour(network.Plan.ExternalNamespace, Vip));

            Assert.True(L2Announcer.Withdraw(node1, LabNames.NodeInterface, Vip));
            var moved = Stopwatch.StartNew();
            Assert.True(L2Announcer.Announce(node2, LabNames.NodeInterface, Vip));

            // The external client sends nothing meanwhile: only node2's gratuitous ARP can change its entry.
            var entry = await LinkLayer.WaitForNeighbourAsync(network.Plan.ExternalNamespace, Vip, mac2, TimeSpan.FromSeconds(2), output);

            output.WriteLine($"external's neighbour entry for {Vip} switched to node2 after {moved.Elapsed.TotalMilliseconds:F1} ms ({entry})");
            Assert.Equal(mac2, entry.Last);
            var again = await SocketProbe.TcpAsync(network.External, node2, Vip, port: 8081);
            Assert.Equal(IPAddress.Parse("198.18.0.2"), again.Address);
            Assert.False(L2Announcer.Withdraw(node1, LabNames.NodeInterface, Vip));
            Assert.DoesNotContain("198.18.0.200", HostNetworkSnapshot.Run("-n", node1.Name, "addr", "show", "eth0"), StringComparison.Ordinal);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public async Task The_monitor_declares_a_node_down_soon_after_its_links_go_down_and_up_when_they_return()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 0));
            var nodes = network.Plan.Nodes.ToDictionary(n => n.Name, n => n.Address);
            var options = new NodeHealthOptions { Interval = TimeSpan.FromMilliseconds(100), MissesBeforeDown = 3 };
            var changes = new System.Collections.Concurrent.ConcurrentQueue<(NodeHealthChange Change, TimeSpan At)>();
            var clock = Stopwatch.StartNew();
            await using var monitor = new NodeHealthMonitor(network.Underlay, nodes, options);
            monitor.Changed += change => changes.Enqueue((change, clock.Elapsed));
            monitor.Start();

            // Both nodes answer: a second of probing declares nobody down.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(monitor.DownNodes);
            Assert.Empty(changes);

            // node1 says no goodbye: its eth0 and its port on the underlay bridge simply go down.
            var failedAt = clock.Elapsed;
            SetLinks(network, "node1", up: false);
            var declaredDown = Poll.Until("the monitor declares node1 down", () => monitor.DownNodes.Contains("node1"), output, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));

            var detected = changes.Single(c => c.Change.Node == "node1" && !c.Change.Up).At - failedAt;
            output.WriteLine($"node1 declared down {detected.TotalMilliseconds:F0} ms after its links went down (interval 100 ms, 3 misses); {declaredDown}");
            Assert.Equal(["node1"], monitor.DownNodes);
            // Not before three missed probes; the upper bound only says "soon", with room for a loaded CI machine
            // (1.01 s was seen there once).
            Assert.InRange(detected, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));

            SetLinks(network, "node1", up: true);
            var declaredUp = Poll.Until("the monitor declares node1 up again", () => monitor.DownNodes.Count == 0, output, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));

            output.WriteLine(declaredUp.ToString());
            Assert.Empty(monitor.DownNodes);
            Assert.Contains(changes, c => c.Change is { Node: "node1", Up: true });
            Assert.DoesNotContain(changes, c => c.Change.Node == "node2");
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    /// <summary>Both ends of a node's link to the underlay: its <c>eth0</c> and its port on the bridge.</summary>
    private static void SetLinks(LabNetwork network, string node, bool up)
    {
        using (var netlink = RtNetlink.OpenIn(network.Node(node)))
        {
            netlink.SetLinkState(netlink.GetIndex(LabNames.NodeInterface), up);
            netlink.Flush();
        }

        using (var netlink = RtNetlink.OpenIn(network.Underlay))
        {
            netlink.SetLinkState(netlink.GetIndex(network.NodePlan(node).UnderlayInterface), up);
            netlink.Flush();
        }
    }
}
