using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Engine.LoadBalancing;
using Maille.Lab.LoadBalancing;
using Maille.Lab.Labs;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.LoadBalancing;

// IP plan: two nodes, node-1 198.18.0.11 and node-2 198.18.0.12, the external client 198.18.0.2; pods web-1 on node-1
// and web-2 on node-2 (198.19.1.x, 198.19.2.x); the LoadBalancer Service web asks for 198.18.0.210.
public sealed class LoadBalancerSpeakerTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("198.18.0.210");

    private const string Yaml = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 8080}]}]}
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
            var speaker = new LoadBalancerSpeaker(network);
            var events = new List<LoadBalancerOwnershipChange>();
            speaker.OwnershipChanged += events.Add;

            var first = Assert.Single(speaker.Sync(cluster));
            Assert.Equal((null, owner, "newly elected"), (first.From, first.To, first.Reason));
            Assert.Equal(["default/web"], first.Services);
            Assert.Equal(IPAddress.Parse("198.18.0.2"), await ConnectAsync(network.External, network.Node(owner)));
            Assert.Equal(LinkLayer.MacOf(network.Node(owner).Name, LabNames.NodeInterface), LinkLayer.Neighbour(external, Vip));

            var down = new HashSet<string>(StringComparer.Ordinal) { owner };
            var moved = Assert.Single(speaker.Sync(cluster, down));
            Assert.Equal((owner, other, $"node {owner} is down"), (moved.From, moved.To, moved.Reason));
            var otherMac = LinkLayer.MacOf(network.Node(other).Name, LabNames.NodeInterface);
            Assert.Equal(otherMac, await LinkLayer.WaitForNeighbourAsync(external, Vip, otherMac, TimeSpan.FromSeconds(2)));
            Assert.Equal(IPAddress.Parse("198.18.0.2"), await ConnectAsync(network.External, network.Node(other)));
            Assert.DoesNotContain(Vip.ToString(), HostNetworkSnapshot.Run("-n", network.Node(owner).Name, "addr", "show"), StringComparison.Ordinal);

            Assert.Empty(speaker.Sync(cluster, down));
            Assert.Equal(new Dictionary<IPAddress, string> { [Vip] = other }, speaker.Owners);

            var back = Assert.Single(speaker.Sync(cluster));
            Assert.Equal((other, owner), (back.From, back.To));
            Assert.Equal([first, moved, back], events);

            speaker.WithdrawAll();
            Assert.Empty(speaker.Owners);
            Assert.All(network.Plan.Nodes, n => Assert.DoesNotContain(Vip.ToString(), HostNetworkSnapshot.Run("-n", n.Namespace, "addr", "show"), StringComparison.Ordinal));
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
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
