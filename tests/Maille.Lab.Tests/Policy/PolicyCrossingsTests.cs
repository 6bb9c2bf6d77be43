using System.Net;
using Maille.Dataplane.Nftables;
using Maille.Lab.Policy;

namespace Maille.Lab.Tests.Policy;

// IP plan (examples/netpol-playground): node-1..3 at 198.18.0.11-13; x/a, y/a, z/a on node-1 (198.19.1.2-4), the b pods
// on node-2, the c pods on node-3; the outside client at 198.18.0.2.
public sealed class PolicyCrossingsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("198.18.0.2");

    private readonly PlannedTables _tables = new("");

    [Fact]
    public void Between_pods_of_two_nodes_the_source_node_judges_egress_then_the_destination_node_ingress()
    {
        var crossings = PolicyCrossings.For(_tables.Plans, "node-2", NftIngress.Pod, _tables.AddressOf("x/b"), _tables.AddressOf("y/c"), masqueraded: false);

        Assert.Equal(
            [new PolicyCrossing("node-2", _tables.AddressOf("x/b"), _tables.AddressOf("y/c")), new PolicyCrossing("node-3", _tables.AddressOf("x/b"), _tables.AddressOf("y/c"))],
            crossings);
    }

    [Fact]
    public void Two_pods_of_one_node_share_one_crossing()
    {
        var crossing = Assert.Single(PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.Pod, _tables.AddressOf("x/a"), _tables.AddressOf("z/a"), masqueraded: false));
        Assert.Equal("node-1", crossing.Node);
    }

    [Fact]
    public void From_outside_through_another_node_with_masquerade_the_endpoints_node_sees_the_entry_nodes_address()
    {
        var crossing = Assert.Single(PolicyCrossings.For(_tables.Plans, "node-2", NftIngress.Underlay, Client, _tables.AddressOf("x/a"), masqueraded: true));

        Assert.Equal(new PolicyCrossing("node-1", IPAddress.Parse("198.18.0.12"), _tables.AddressOf("x/a")), crossing);
    }

    [Fact]
    public void From_outside_to_an_endpoint_on_the_entry_node_the_client_is_seen_before_masquerade()
    {
        var crossing = Assert.Single(PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.Underlay, Client, _tables.AddressOf("x/a"), masqueraded: true));

        Assert.Equal(new PolicyCrossing("node-1", Client, _tables.AddressOf("x/a")), crossing);
    }

    [Fact]
    public void A_node_reaching_its_own_pod_is_never_judged_and_another_nodes_pod_sees_the_node()
    {
        var node1 = IPAddress.Parse("198.18.0.11");

        Assert.Empty(PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.NodeLocal, node1, _tables.AddressOf("x/a"), masqueraded: false));
        Assert.Equal(
            [new PolicyCrossing("node-2", node1, _tables.AddressOf("x/b"))],
            PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.NodeLocal, node1, _tables.AddressOf("x/b"), masqueraded: false));
    }

    [Fact]
    public void A_pod_reaching_its_own_node_or_an_address_outside_the_lab_is_judged_only_on_its_node_if_at_all()
    {
        Assert.Empty(PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.Pod, _tables.AddressOf("x/a"), IPAddress.Parse("198.18.0.11"), masqueraded: false));
        Assert.Equal(
            [new PolicyCrossing("node-1", _tables.AddressOf("x/a"), IPAddress.Parse("198.18.0.99"))],
            PolicyCrossings.For(_tables.Plans, "node-1", NftIngress.Pod, _tables.AddressOf("x/a"), IPAddress.Parse("198.18.0.99"), masqueraded: false));
    }
}
