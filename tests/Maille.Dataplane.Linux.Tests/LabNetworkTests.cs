using System.Diagnostics;
using System.Net;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Xunit.Abstractions;

using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

// IP plan (TestTopologies.Make(2, 2)): underlay bridge 198.18.0.1/24, external 198.18.0.2, node1 198.18.0.11
// with pods 198.19.1.10-11, node2 198.18.0.12 with pods 198.19.2.10-11; pods default via 169.254.1.1 onlink.
public sealed class LabNetworkTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Pods_on_the_same_node_reach_each_other_over_tcp_without_nat()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 2));
            var seen = await SocketProbe.TcpAsync(network.Pod("default/pod-1-0"), network.Pod("default/pod-1-1"), IPAddress.Parse("198.19.1.11"));
            Assert.Equal(IPAddress.Parse("198.19.1.10"), seen.Address);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public async Task Pods_on_different_nodes_reach_each_other_over_tcp_and_udp_without_nat()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 2));
            var client = network.Pod("default/pod-1-1");
            var server = network.Pod("default/pod-2-0");

            var tcp = await SocketProbe.TcpAsync(client, server, IPAddress.Parse("198.19.2.10"));
            var udp = await SocketProbe.UdpAsync(client, server, IPAddress.Parse("198.19.2.10"));

            Assert.Equal(IPAddress.Parse("198.19.1.11"), tcp.Address);
            Assert.Equal(IPAddress.Parse("198.19.1.11"), udp.Address);
            var back = await SocketProbe.TcpAsync(server, client, IPAddress.Parse("198.19.1.11"), port: 9090);
            Assert.Equal(IPAddress.Parse("198.19.2.10"), back.Address);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public async Task In_vxlan_mode_pods_on_different_nodes_reach_each_other_through_vxlan0_without_nat()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 2) with { Mode = LabNetworkMode.Vxlan });
            var client = network.Pod("default/pod-1-0");
            var server = network.Pod("default/pod-2-1");

            var tcp = await SocketProbe.TcpAsync(client, server, IPAddress.Parse("198.19.2.11"));
            var udp = await SocketProbe.UdpAsync(client, server, IPAddress.Parse("198.19.2.11"));

            Assert.Equal(IPAddress.Parse("198.19.1.10"), tcp.Address);
            Assert.Equal(IPAddress.Parse("198.19.1.10"), udp.Address);
            var node1 = network.Node("node1").Name;
            Assert.Contains("198.19.2.0/24 via 198.19.2.0 dev vxlan0 onlink", HostNetworkSnapshot.Run("-n", node1, "route"), StringComparison.Ordinal);
            Assert.Contains("vxlan id 1 ", HostNetworkSnapshot.Run("-n", node1, "-d", "link", "show", "vxlan0"), StringComparison.Ordinal);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public async Task The_external_client_reaches_a_node_ip_and_a_node_reaches_its_pods()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 2));

            var external = await SocketProbe.TcpAsync(network.External, network.Node("node2"), IPAddress.Parse("198.18.0.12"));
            var node = await SocketProbe.TcpAsync(network.Node("node1"), network.Pod("default/pod-1-0"), IPAddress.Parse("198.19.1.10"));

            Assert.Equal(IPAddress.Parse("198.18.0.2"), external.Address);
            Assert.Equal(IPAddress.Parse("198.18.0.11"), node.Address);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    [SkippableFact]
    public void Teardown_removes_every_namespace_and_the_host_network_is_unchanged()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        var before = HostNetworkSnapshot.Take();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(2, 2));
            Assert.Equal(2 + 2 + 4, NetworkNamespace.List(LabNames.Prefix(lab)).Count);
            Assert.Equal(8, network.Teardown());
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }

        Assert.DoesNotContain($"maille-{lab}-", HostNetworkSnapshot.Run("netns", "list"), StringComparison.Ordinal);
        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab)));
        var after = HostNetworkSnapshot.Take();
        Assert.Equal(before.Links, after.Links);
        Assert.Equal(before.Addresses, after.Addresses);
        Assert.Equal(before.Routes, after.Routes);
    }

    [SkippableFact]
    public void Building_a_lab_that_exists_is_refused_and_leaves_it_alone()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        try
        {
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(1, 1));
            Assert.Throws<InvalidOperationException>(() => LabNetworkBuilder.Build(lab, TestTopologies.Make(1, 1)));
            Assert.Equal(4, NetworkNamespace.List(LabNames.Prefix(lab)).Count);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }

    /// <summary>
    /// Prints how long a 3 x 34 lab takes to build and tear down (no assertion on time). For larger runs set
    /// MAILLE_LAB_NODES and MAILLE_LAB_PODS_PER_NODE (at most 250 pods per node).
    /// </summary>
    [SkippableFact]
    public async Task Building_3_nodes_with_34_pods_each_is_timed()
    {
        Privileged.Require();
        var nodes = int.TryParse(Environment.GetEnvironmentVariable("MAILLE_LAB_NODES"), out var n) ? n : 3;
        var podsPerNode = int.TryParse(Environment.GetEnvironmentVariable("MAILLE_LAB_PODS_PER_NODE"), out var p) ? p : 34;
        var lab = TestNames.NewLab();
        try
        {
            var watch = Stopwatch.StartNew();
            using var network = LabNetworkBuilder.Build(lab, TestTopologies.Make(nodes, podsPerNode));
            var built = watch.Elapsed;

            var last = podsPerNode - 1;
            var seen = await SocketProbe.TcpAsync(network.Pod($"default/pod-1-{last}"), network.Pod($"default/pod-{nodes}-{last / 2}"),
                IPAddress.Parse($"198.19.{nodes}.{10 + (last / 2)}"));
            Assert.Equal(IPAddress.Parse($"198.19.1.{10 + last}"), seen.Address);

            watch.Restart();
            var removed = LabNetworkBuilder.Teardown(lab);
            var tornDown = watch.Elapsed;
            Assert.Equal(2 + nodes + (nodes * podsPerNode), removed);
            var line = $"lab of {nodes} nodes x {podsPerNode} pods ({removed} namespaces): built in {built.TotalMilliseconds:F0} ms "
                + $"({network.Timings}), torn down in {tornDown.TotalMilliseconds:F0} ms";
            output.WriteLine(line);
            Console.WriteLine(line);
        }
        finally
        {
            LabNetworkBuilder.Teardown(lab);
        }
    }
}
