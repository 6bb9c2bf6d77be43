using Maille.Cli.Compare;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Cli.Tests.Compare;

// The workload `maille compare` runs is ordinary input: the engine must accept it as written, place the client and the
// server on different nodes (the measured paths cross the node network), and judge the policies as the measures need.
public sealed class ComparisonWorkloadTests
{
    private static readonly ClusterConfig TwoNodes = ClusterConfigLoader.Load("config.yaml", ComparisonWorkload.ClusterConfig()).Config!;

    [Fact]
    public void The_initial_workload_puts_the_client_and_the_server_on_different_nodes_with_ten_web_services_and_the_iperf_service()
    {
        var cluster = Cluster.Valid(ComparisonWorkload.Initial(), TwoNodes);

        Assert.Equal(["node-1", "node-2"], cluster.Nodes.Select(n => n.Name));
        Assert.Equal("node-1", Pod(cluster, "client").Spec.NodeName);
        Assert.Equal("node-2", Pod(cluster, "server").Spec.NodeName);
        var services = cluster.Services.Where(s => s.Namespace == ComparisonWorkload.Namespace).Select(s => s.Name).ToList();
        Assert.Equal(ComparisonWorkload.InitialServices + 1, services.Count);
        Assert.Contains(ComparisonWorkload.IperfService, services);
        Assert.Contains("web-9", services);
        Assert.DoesNotContain("web-10", services);
    }

    [Fact]
    public void The_iperf_port_is_left_free_for_iperf3_while_the_http_port_is_served_by_the_pod()
    {
        var server = Pod(Cluster.Valid(ComparisonWorkload.Initial(), TwoNodes), "server");

        Assert.Equal([ComparisonWorkload.HttpPort], server.Spec.AllPorts.Select(p => p.Port));
    }

    [Fact]
    public void Added_services_continue_the_numbering_and_all_load_together()
    {
        var cluster = Cluster.Valid(ComparisonWorkload.Initial() + ComparisonWorkload.Services(ComparisonWorkload.InitialServices, 25), TwoNodes);

        Assert.Equal(25, cluster.Services.Count(s => s.Name.StartsWith("web-", StringComparison.Ordinal)));
        Assert.Contains(cluster.Services, s => s.Name == "web-24");
    }

    [Fact]
    public void Every_policy_selects_the_server_and_only_the_measured_connections_of_the_client_are_allowed()
    {
        var cluster = Cluster.Valid(ComparisonWorkload.Initial() + ComparisonWorkload.Policies(40), TwoNodes);
        var policies = NetworkPolicyEvaluator.For(cluster);
        var client = Pod(cluster, "client");
        var server = Pod(cluster, "server");
        var web = Pod(cluster, "web-1");

        Assert.Equal(40, cluster.NetworkPolicies.Count);
        Assert.Equal(40, cluster.NetworkPolicies.Select(p => p.QualifiedName).Distinct().Count());
        Assert.True(policies.Evaluate(client, server, ComparisonWorkload.HttpPort, Protocol.TCP).Allowed);
        Assert.True(policies.Evaluate(client, server, ComparisonWorkload.IperfPort, Protocol.TCP).Allowed);
        Assert.True(policies.Evaluate(client, server, 10039, Protocol.TCP).Allowed);
        Assert.False(policies.Evaluate(client, server, 10040, Protocol.TCP).Allowed);
        Assert.False(policies.Evaluate(web, server, ComparisonWorkload.HttpPort, Protocol.TCP).Allowed);
        Assert.True(policies.Evaluate(server, client, ComparisonWorkload.HttpPort, Protocol.TCP).Allowed);
    }

    private static Pod Pod(Engine.ClusterState cluster, string name) =>
        cluster.Pods.Single(p => p.Namespace == ComparisonWorkload.Namespace && p.Name == name);
}
