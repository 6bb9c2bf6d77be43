using System.Net;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Allocation;

// IP plan: node k gets 198.18.0.(10+k) on the node network and pod CIDR 198.19.k.0/24.
public sealed class NodeTopologyTests
{
    [Fact]
    public void Without_nodes_in_the_input_three_default_nodes_are_planned()
    {
        var cluster = Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
        Assert.Equal(["node-1", "node-2", "node-3"], cluster.Nodes.Select(n => n.Name));
        Assert.Equal(IPAddress.Parse("198.18.0.11"), cluster.Nodes[0].InternalIP);
        Assert.Equal(IPNetwork.Parse("198.19.3.0/24"), cluster.Nodes[2].PodCidr);
    }

    [Fact]
    public void Node_objects_replace_the_defaults_and_keep_their_pod_cidr_and_address()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Node
            metadata: {name: worker-b, labels: {topology.kubernetes.io/zone: b}}
            spec: {podCIDR: 10.244.7.0/24}
            status:
              addresses: [{type: InternalIP, address: 172.18.0.3}]
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: worker-a}
            """);
        Assert.Equal(["worker-a", "worker-b"], cluster.Nodes.Select(n => n.Name));
        var b = cluster.NodesByName["worker-b"];
        Assert.Equal(IPNetwork.Parse("10.244.7.0/24"), b.PodCidr);
        Assert.Equal(IPAddress.Parse("172.18.0.3"), b.InternalIP);
        Assert.Equal("b", b.Meta.Labels.Get("topology.kubernetes.io/zone"));
        Assert.Equal("worker-a", cluster.NodesByName["worker-a"].Meta.Labels.Get("kubernetes.io/hostname"));
    }

    [Fact]
    public void Configured_node_count_and_cidrs_are_honoured()
    {
        var config = ClusterConfig.Default with { NodeCount = 5, ClusterCidr = IPNetwork.Parse("198.19.0.0/16"), PodCidrPrefix = 26 };
        var cluster = Cluster.Valid("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", config);
        Assert.Equal(5, cluster.Nodes.Count);
        Assert.Equal(IPNetwork.Parse("198.19.0.64/26"), cluster.Nodes[0].PodCidr);
    }

    [Fact]
    public void A_node_named_by_a_pod_but_not_declared_is_created_with_a_warning()
    {
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              nodeName: kind-worker
              containers: [{name: c}]
            """);
        Assert.True(result.Succeeded);
        Assert.Contains(result.Cluster!.Nodes, n => n.Name == "kind-worker");
        Assert.Contains(result.Warnings, w => w.ToString().Contains("Node kind-worker: not declared, but named by spec.nodeName of default/p", StringComparison.Ordinal));
    }
}
