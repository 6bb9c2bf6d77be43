using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Model;

namespace Maille.Dataplane.Linux.Tests;

public sealed class LabNetworkPlannerTests
{
    [Fact]
    public void Every_namespace_carries_the_lab_prefix_and_interface_names_fit_in_15_characters()
    {
        var plan = LabNetworkPlanner.Plan("demo", TestTopologies.Make(3, 34));

        Assert.All(plan.NamespaceNames, name => Assert.StartsWith("maille-demo-", name, StringComparison.Ordinal));
        Assert.All(plan.NamespaceNames, name => Assert.True(name.Length < 64, name));
        Assert.Equal(3 + 102 + 2, plan.NamespaceNames.Distinct().Count());
        Assert.All(plan.Pods, pod => Assert.InRange(pod.HostInterface.Length, 1, LabNames.MaxInterfaceNameLength));
        Assert.All(plan.Nodes, node => Assert.InRange(node.UnderlayInterface.Length, 1, LabNames.MaxInterfaceNameLength));
        Assert.Equal("maille-demo-node-node1", plan.Nodes[0].Namespace);
        Assert.Equal("maille-demo-underlay", plan.UnderlayNamespace);
        Assert.Equal("maille-demo-external", plan.ExternalNamespace);
    }

    [Fact]
    public void Pod_names_are_stable_hashes_of_the_pod_key()
    {
        var first = LabNetworkPlanner.Plan("demo", TestTopologies.Make(1, 2));
        var second = LabNetworkPlanner.Plan("demo", TestTopologies.Make(1, 2));

        Assert.Equal(first, second);
        Assert.Equal(LabNames.Pod("demo", "default/pod-1-0"), first.Pods[0].Namespace);
        Assert.Matches("^maille-demo-pod-[0-9a-f]{12}$", first.Pods[0].Namespace);
        Assert.Matches("^mai[0-9a-f]{11}$", first.Pods[0].HostInterface);
    }

    [Fact]
    public void Each_node_routes_every_other_nodes_pod_cidr_via_that_node()
    {
        var plan = LabNetworkPlanner.Plan("demo", TestTopologies.Make(3, 1));

        Assert.Equal(
            [
                new NodeRoute(IPNetwork.Parse("198.19.1.0/24"), IPAddress.Parse("198.18.0.11")),
                new NodeRoute(IPNetwork.Parse("198.19.3.0/24"), IPAddress.Parse("198.18.0.13")),
            ],
            plan.Nodes[1].Routes.ToArray());
    }

    [Fact]
    public void In_vxlan_mode_nodes_route_pod_cidrs_via_each_others_vxlan_address_and_flood_to_each_other()
    {
        var plan = LabNetworkPlanner.Plan("demo", TestTopologies.Make(3, 1) with { Mode = LabNetworkMode.Vxlan });

        var node2 = plan.Nodes[1];
        Assert.Equal(IPAddress.Parse("198.19.2.0"), node2.VxlanAddress);
        Assert.Equal([IPAddress.Parse("198.18.0.11"), IPAddress.Parse("198.18.0.13")], node2.VxlanPeers.ToArray());
        Assert.Equal(
            [
                new NodeRoute(IPNetwork.Parse("198.19.1.0/24"), IPAddress.Parse("198.19.1.0")),
                new NodeRoute(IPNetwork.Parse("198.19.3.0/24"), IPAddress.Parse("198.19.3.0")),
            ],
            node2.Routes.ToArray());
        Assert.Null(LabNetworkPlanner.Plan("demo", TestTopologies.Make(3, 1)).Nodes[1].VxlanAddress);
    }

    [Fact]
    public void In_vxlan_mode_a_pod_cannot_take_its_nodes_vxlan_address()
    {
        var topology = TestTopologies.Make(1, 1) with { Mode = LabNetworkMode.Vxlan };
        topology = topology with { Pods = new([topology.Pods[0] with { Address = IPAddress.Parse("198.19.1.0") }]) };

        Assert.Contains(LabNetworkPlanner.Validate("demo", topology), error => error.Contains("VXLAN address", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var topology = new LabTopology
        {
            Nodes = new([
                new LabNode { Name = "a", Address = IPAddress.Parse("10.0.0.1"), PodCidr = IPNetwork.Parse("198.19.1.0/24") },
                new LabNode { Name = "b", Address = IPAddress.Parse("198.18.0.12"), PodCidr = IPNetwork.Parse("198.19.1.128/25") },
            ]),
            Pods = new([
                new LabPod { Key = "p", Node = "missing", Address = IPAddress.Parse("198.19.1.5") },
                new LabPod { Key = "q", Node = "b", Address = IPAddress.Parse("198.19.7.5") },
            ]),
        };

        var errors = LabNetworkPlanner.Validate("Bad-Name", topology);

        Assert.Contains(errors, error => error.Contains("lab name", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("10.0.0.1 is not an IPv4 address in 198.18.0.0/15", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("overlaps node a", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("node 'missing' is not in the topology", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Contains("outside node b's pod CIDR", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => LabNetworkPlanner.Plan("Bad-Name", topology));
    }

    [Fact]
    public void A_hyphenated_lab_name_is_planned_with_underscores_so_one_labs_prefix_never_covers_another()
    {
        var plan = LabNetworkPlanner.Plan("a-node-x", new LabTopology { Nodes = EquatableArray<LabNode>.Empty, Pods = EquatableArray<LabPod>.Empty });

        Assert.Equal(["maille-a_node_x-underlay", "maille-a_node_x-external"], plan.NamespaceNames);
        Assert.All(plan.NamespaceNames, name => Assert.Equal("a-node-x", LabNames.LabOf(name)));
        Assert.Throws<ArgumentException>(() => LabNetworkBuilder.Teardown("a_b"));
        Assert.Throws<ArgumentException>(() => LabNetworkBuilder.Teardown("-a"));
    }

    [Fact]
    public void An_empty_topology_plans_only_the_underlay_and_the_external_client()
    {
        var plan = LabNetworkPlanner.Plan("empty", new LabTopology { Nodes = EquatableArray<LabNode>.Empty, Pods = EquatableArray<LabPod>.Empty });

        Assert.Equal(["maille-empty-underlay", "maille-empty-external"], plan.NamespaceNames);
    }
}
