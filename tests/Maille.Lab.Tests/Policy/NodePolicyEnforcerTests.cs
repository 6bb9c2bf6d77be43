using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Lab.NodeAgents;
using Maille.TestKit;

namespace Maille.Lab.Tests.Policy;

// IP plan (examples/netpol-playground, default ClusterConfig): nodes node-1..3 at 198.18.0.11-13, pod CIDR
// 198.19.N.0/24; pods a on node-1 (x/a 198.19.1.2, y/a .3, z/a .4), b on node-2, c on node-3. Every pod serves TCP and
// UDP 80 and 81 (PolicyLab). Real packets through a real lab; each node's table is written by its NodePolicyEnforcer.
public sealed class NodePolicyEnforcerTests
{
    private static readonly string Pods = Fixtures.PlaygroundPods;

    private const string DenyAllInX = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: x}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\n";

    private const string AllowYOn80 = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]\n    ports: [{port: 80}]\n---\n";

    private const string AllowPodB = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-b, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]\n---\n";

    [SkippableTheory]
    [InlineData(NodePolicyEnforcerKernelTests.Default)]
    [InlineData(NodePolicyEnforcerKernelTests.Folded)]
    public async Task ADenyAllRejects_AnAllowRuleAllows_AndItsCounterCountsTheConnection(int foldAbove)
    {
        Privileged.Require();
        var open = Plan("");
        using var lab = PolicyLab.Start(open, new NodePolicyEnforcerOptions { FoldChainsAbove = foldAbove });
        lab.Sync(open);
        Assert.Equal("connected", await lab.TcpAsync("y/b", "x/a", 80));

        lab.Sync(Plan(DenyAllInX));
        Assert.Equal("unreachable", await lab.TcpAsync("y/b", "x/a", 80));   // across nodes: node-1 judges ingress
        Assert.Equal("unreachable", await lab.TcpAsync("y/a", "x/a", 80));   // on one node
        Assert.Equal("connected", await lab.TcpAsync("x/a", "y/b", 80));     // egress is not isolated
        Assert.NotEqual("answered", await lab.UdpAsync("z/c", "x/b", 81, TimeSpan.FromMilliseconds(500)));

        lab.Sync(Plan(DenyAllInX + AllowYOn80));
        Assert.Equal("connected", await lab.TcpAsync("y/b", "x/a", 80));
        Assert.Equal("connected", await lab.TcpAsync("y/c", "x/a", 80));
        Assert.Equal("unreachable", await lab.TcpAsync("y/b", "x/a", 81));
        Assert.Equal("unreachable", await lab.TcpAsync("z/b", "x/a", 80));
        Assert.Equal("unreachable", await lab.TcpAsync("y/b", "x/b", 80));
        var counter = Assert.Single(lab.Enforcers["node-1"].ReadCounters(), c => c.Rule.CounterName == "ingress/x/allow-y/0");
        Assert.Equal(2, counter.Packets);   // two connections: each is counted once, by its first packet
        var repaired = lab.Enforcers["node-1"].Sync(lab.Cluster, full: true);   // a drift repair writes the table whole...
        Assert.True(repaired.Full && repaired.Succeeded, repaired.Error);
        Assert.Equal(2, Assert.Single(lab.Enforcers["node-1"].ReadCounters(), c => c.Rule.CounterName == "ingress/x/allow-y/0").Packets);   // ...and counting goes on
        Assert.Null(lab.LastSyncs["node-1"].Warning);
        var trace = NodePolicyEnforcer.Trace(lab.Enforcers["node-1"].Applied!, lab.AddressOf("y/b"), lab.AddressOf("x/a"), "tcp", 80);
        Assert.Equal(Dataplane.Nftables.NftTraceVerdict.NotTranslated, trace.Verdict);
        Assert.Contains(trace.Steps, s => s.Counter == "ingress/x/allow-y/0");
        Assert.Equal(Dataplane.Nftables.NftTraceVerdict.Rejected, NodePolicyEnforcer.Trace(lab.Enforcers["node-1"].Applied!, lab.AddressOf("y/b"), lab.AddressOf("x/a"), "tcp", 81).Verdict);
    }

    [SkippableTheory]
    [InlineData(NodePolicyEnforcerKernelTests.Default)]
    [InlineData(NodePolicyEnforcerKernelTests.Folded)]
    public async Task RelabellingAPod_ChangesTheVerdict_ThroughSetElementsOnly(int foldAbove)
    {
        Privileged.Require();
        var before = Plan(AllowPodB);
        using var lab = PolicyLab.Start(before, new NodePolicyEnforcerOptions { FoldChainsAbove = foldAbove });
        lab.Sync(before);
        Assert.Equal("unreachable", await lab.TcpAsync("y/c", "x/a", 80));
        Assert.Equal("connected", await lab.TcpAsync("z/b", "x/a", 80));
        var chainsBefore = lab.Enforcers["node-1"].Applied!.Ruleset.Chains;

        var relabelled = Cluster.Replan(
            Pods.Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal) + "\n---\n" + AllowPodB,
            before);
        Assert.True(relabelled.Succeeded, string.Join("\n", relabelled.Errors));
        lab.Sync(relabelled.Cluster!);

        Assert.Equal("connected", await lab.TcpAsync("y/c", "x/a", 80));
        var node1 = lab.LastSyncs["node-1"];
        Assert.False(node1.Full);
        Assert.InRange(node1.CommandCount, 1, 2);   // one peer set or folded map: delete the old ranges, add the new ones
        Assert.Equal(chainsBefore, lab.Enforcers["node-1"].Applied!.Ruleset.Chains);   // no chain rewritten
    }

    [SkippableFact]
    public async Task EgressIsEnforcedOnTheSourcesNode()
    {
        Privileged.Require();
        var cluster = Plan("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: to-y, namespace: x}\nspec:\n  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{namespaceSelector: {matchLabels: {ns: y}}}]\n---\n");
        using var lab = PolicyLab.Start(cluster);
        lab.Sync(cluster);

        Assert.Equal("connected", await lab.TcpAsync("x/a", "y/b", 81));
        Assert.Equal("answered", await lab.UdpAsync("x/a", "y/c", 80));
        Assert.Equal("unreachable", await lab.TcpAsync("x/a", "z/b", 80));
        Assert.Equal(1, lab.Details("node-1").EgressIsolatedPods);
        Assert.Equal(0, lab.Details("node-2").EgressIsolatedPods);
    }

    [SkippableFact]
    public async Task AnEstablishedConnectionOutlivesADeny_UnlessDeniedConnectionsAreFlushed()
    {
        Privileged.Require();
        var open = Plan("");
        var denied = Plan(DenyAllInX);
        foreach (var flush in new[] { false, true })
        {
            using var lab = PolicyLab.Start(open, new NodePolicyEnforcerOptions { FlushDeniedConnections = flush });
            lab.Sync(open);
            using var connection = lab.Network.Pod("y/b").CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await connection.ConnectAsync(lab.AddressOf("x/a"), 80);
            Assert.True(await EchoesAsync(connection), "echo before the policy");

            lab.Sync(denied);

            Assert.Equal("unreachable", await lab.TcpAsync("y/b", "x/a", 80));
            Assert.Equal(!flush, await EchoesAsync(connection));
            Assert.Equal(flush ? 1 : 0, lab.Details("node-1").FlushedConnections);
        }
    }

    /// <summary>Sends a line on the connection and waits up to a second for it to come back.</summary>
    private static async Task<bool> EchoesAsync(Socket connection)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await connection.SendAsync(Encoding.ASCII.GetBytes("ping\n"), timeout.Token);
            var buffer = new byte[16];
            return await connection.ReceiveAsync(buffer, timeout.Token) == 5;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    private static ClusterState Plan(string policies) => Cluster.Valid(Pods + "\n---\n" + policies);
}
