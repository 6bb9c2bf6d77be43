using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>Pods added to and removed from a running lab (TestTopologies' address plan).</summary>
public sealed class LabNetworkChangeTests
{
    [SkippableFact]
    public async Task A_pod_added_to_a_running_lab_reaches_and_is_reached_by_pods_on_other_nodes()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 1));
            LabNetworkBuilder.AddPods(network, [new LabPod { Key = "default/late", Node = "node2", Address = IPAddress.Parse("198.19.2.20") }]);

            var seen = await SocketProbe.TcpAsync(network.Pod("default/pod-1-0"), network.Pod("default/late"), IPAddress.Parse("198.19.2.20"));
            var back = await SocketProbe.TcpAsync(network.Pod("default/late"), network.Pod("default/pod-1-0"), IPAddress.Parse("198.19.1.10"), port: 9090);

            Assert.Equal(IPAddress.Parse("198.19.1.10"), seen.Address);
            Assert.Equal(IPAddress.Parse("198.19.2.20"), back.Address);
            Assert.Contains(network.Plan.Pods, p => p.Key == "default/late");
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public void A_removed_pod_leaves_no_namespace_veth_or_route_on_its_node()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(1, 2));
            var removed = network.PodPlan("default/pod-1-1");

            LabNetworkBuilder.RemovePods(network, ["default/pod-1-1"]);

            Assert.False(NetworkNamespace.Exists(removed.Namespace));
            var node = network.Node("node1").Name;
            Assert.DoesNotContain(removed.HostInterface, HostNetworkSnapshot.Run("-n", node, "link"), StringComparison.Ordinal);
            Assert.DoesNotContain("198.19.1.11", HostNetworkSnapshot.Run("-n", node, "route"), StringComparison.Ordinal);
            Assert.Contains("198.19.1.10", HostNetworkSnapshot.Run("-n", node, "route"), StringComparison.Ordinal);
            Assert.DoesNotContain(network.Plan.Pods, p => p.Key == "default/pod-1-1");
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public async Task A_pod_removed_and_added_again_with_the_same_name_works()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(1, 2));
            LabNetworkBuilder.RemovePods(network, ["default/pod-1-1"]);
            LabNetworkBuilder.AddPods(network, [new LabPod { Key = "default/pod-1-1", Node = "node1", Address = IPAddress.Parse("198.19.1.30") }]);

            var seen = await SocketProbe.TcpAsync(network.Pod("default/pod-1-1"), network.Pod("default/pod-1-0"), IPAddress.Parse("198.19.1.10"));

            Assert.Equal(IPAddress.Parse("198.19.1.30"), seen.Address);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }
}
