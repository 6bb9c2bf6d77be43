using System.Net;
using System.Security.Cryptography;
using System.Text;
using Maille.Engine.LoadBalancing;
using Maille.TestKit;
using static Maille.Engine.Tests.LoadBalancing.LoadBalancerYaml;

namespace Maille.Engine.Tests.LoadBalancing;

// IP plan: three nodes node-1..3 (198.18.0.11-13); the default pool 198.18.0.200-198.18.0.250; Services request
// their addresses so each test knows them.
public sealed class L2AnnouncerElectionTests
{
    private static string Pod(string name, string node, bool ready = true, string app = "web") => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, labels: {app: {{{app}}}}}
        spec: {nodeName: {{{node}}}, containers: [{name: c, ports: [{containerPort: 80}]}]}
        status: {conditions: [{type: Ready, status: "{{{(ready ? "True" : "False")}}}"}]}
        ---

        """;

    private static readonly string PodsEverywhere = Pod("web-1", "node-1") + Pod("web-2", "node-2") + Pod("web-3", "node-3");

    private static L2Announcement Announcement(ClusterState cluster, string address, IReadOnlySet<string>? down = null) =>
        L2AnnouncerElection.Elect(cluster, down).Single(a => a.Address.Equals(IPAddress.Parse(address)));

    /// <summary>MetalLB's rule, written out independently: the lowest SHA-256 of "node#address" wins.</summary>
    private static string LowestHash(IEnumerable<string> nodes, string address) =>
        nodes.OrderBy(n => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{n}#{address}"))), StringComparer.Ordinal).First();

    [Fact]
    public void The_node_with_the_lowest_hash_of_node_and_address_announces_it()
    {
        var cluster = Cluster.Valid(PodsEverywhere + Service("web", extra: "loadBalancerIP: 198.18.0.210"));

        var announcement = Announcement(cluster, "198.18.0.210");
        Assert.Equal(LowestHash(["node-1", "node-2", "node-3"], "198.18.0.210"), announcement.Node);
        Assert.Equal(["default/web"], announcement.Services);
        Assert.Equal("default", announcement.Pool);
        Assert.Equal(3, announcement.EligibleNodes.Count);
        Assert.Null(announcement.Reason);
    }

    [Fact]
    public void The_choice_is_the_same_whatever_the_order_of_the_input()
    {
        var services = Enumerable.Range(0, 8).Select(i => Service($"svc-{i}", extra: $"loadBalancerIP: 198.18.0.{210 + i}")).ToList();
        var forward = L2AnnouncerElection.Elect(Cluster.Valid(PodsEverywhere + string.Concat(services)));
        services.Reverse();
        var backward = L2AnnouncerElection.Elect(Cluster.Valid(string.Concat(services) + PodsEverywhere));

        Assert.Equal(forward, backward);
        Assert.True(forward.Select(a => a.Node).Distinct().Count() > 1, "eight addresses all landed on one node: the hash does not spread them");
    }

    [Fact]
    public void A_down_node_hands_its_addresses_to_the_next_in_order_and_other_addresses_stay()
    {
        var cluster = Cluster.Valid(PodsEverywhere + string.Concat(Enumerable.Range(0, 8).Select(i => Service($"svc-{i}", extra: $"loadBalancerIP: 198.18.0.{210 + i}"))));
        var before = L2AnnouncerElection.Elect(cluster);
        var victim = before[0].Node!;

        var after = L2AnnouncerElection.Elect(cluster, new HashSet<string> { victim });

        foreach (var (old, now) in before.Zip(after))
        {
            Assert.Equal(old.Address, now.Address);
            Assert.Equal(old.Node == victim ? old.EligibleNodes[1] : old.Node, now.Node);
        }
    }

    [Fact]
    public void Under_local_policy_only_nodes_with_a_ready_local_endpoint_are_eligible()
    {
        var cluster = Cluster.Valid(
            Pod("web-1", "node-1", ready: false) + Pod("web-2", "node-2")
            + Service("local", extra: "externalTrafficPolicy: Local\n  loadBalancerIP: 198.18.0.210"));

        var announcement = Announcement(cluster, "198.18.0.210");
        Assert.Equal("node-2", announcement.Node);
        Assert.Equal(["node-2"], announcement.EligibleNodes);

        var lost = Announcement(cluster, "198.18.0.210", new HashSet<string> { "node-2" });
        Assert.Null(lost.Node);
        Assert.Equal("no ready endpoint, and MetalLB announces only Services that have one", lost.Reason);
    }

    [Fact]
    public void Under_local_policy_an_endpoint_on_a_node_that_may_not_announce_does_not_help()
    {
        var cluster = Cluster.Valid(
            Pod("web-2", "node-2")
            + Pool("edge", "[198.18.0.208/29]")
            + Advertisement("node-3-only", "{nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-3}}]}")
            + Service("local", extra: "externalTrafficPolicy: Local\n  loadBalancerIP: 198.18.0.210")
            + Service("cluster", extra: "loadBalancerIP: 198.18.0.211"));

        Assert.Equal("externalTrafficPolicy Local: no eligible node that is up holds a ready endpoint", Announcement(cluster, "198.18.0.210").Reason);
        Assert.Equal("node-3", Announcement(cluster, "198.18.0.211").Node);
    }

    [Fact]
    public void An_address_without_any_ready_endpoint_is_not_announced()
    {
        var cluster = Cluster.Valid(Pod("web-1", "node-1", ready: false) + Service("web", extra: "loadBalancerIP: 198.18.0.210"));

        var announcement = Announcement(cluster, "198.18.0.210");
        Assert.Null(announcement.Node);
        Assert.Equal("no ready endpoint, and MetalLB announces only Services that have one", announcement.Reason);
    }

    [Fact]
    public void Node_selectors_and_interfaces_of_the_advertisement_decide_who_may_announce()
    {
        var manifests = PodsEverywhere
            + Pool("edge", "[198.18.0.208/29]") + Pool("inner", "[198.18.0.224/29]") + Pool("silent", "[198.18.0.232/29]")
            + Advertisement("edge-on-node-3", "{ipAddressPools: [edge], nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-3}}]}")
            + Advertisement("inner-on-ens3", "{ipAddressPools: [inner], interfaces: [ens3]}")
            + Service("a", extra: "loadBalancerIP: 198.18.0.210") + Service("b", extra: "loadBalancerIP: 198.18.0.226")
            + Service("c", extra: "loadBalancerIP: 198.18.0.234");
        var cluster = Cluster.Valid(manifests);

        Assert.Equal("node-3", Announcement(cluster, "198.18.0.210").Node);
        Assert.Equal("the L2Advertisements of pool \"inner\" name interfaces (ens3) nodes do not have (they announce on eth0)", Announcement(cluster, "198.18.0.226").Reason);
        Assert.Equal("no L2Advertisement covers pool \"silent\"", Announcement(cluster, "198.18.0.234").Reason);
        Assert.Equal("every eligible node is down", Announcement(cluster, "198.18.0.210", new HashSet<string> { "node-3" }).Reason);
    }

    [Fact]
    public void Services_sharing_an_address_are_announced_together_by_one_node()
    {
        var cluster = Cluster.Valid(PodsEverywhere
            + Service("dns-tcp", ports: "[{port: 53}]", annotations: "{metallb.io/allow-shared-ip: dns, metallb.io/loadBalancerIPs: 198.18.0.220}")
            + Service("dns-udp", ports: "[{port: 53, protocol: UDP}]", annotations: "{metallb.io/allow-shared-ip: dns, metallb.io/loadBalancerIPs: 198.18.0.220}"));

        var announcement = Assert.Single(L2AnnouncerElection.Elect(cluster));
        Assert.Equal(["default/dns-tcp", "default/dns-udp"], announcement.Services);
        Assert.NotNull(announcement.Node);
    }

    [Fact]
    public void Addresses_of_other_controllers_are_not_announced()
    {
        var cluster = Cluster.Valid(PodsEverywhere
            + Service("cloud", extra: "loadBalancerClass: example.com/cloud", status: "{loadBalancer: {ingress: [{ip: 198.18.0.240}]}}")
            + Service("dumped", status: "{loadBalancer: {ingress: [{ip: 203.0.113.9}]}}"));

        var announcement = Assert.Single(L2AnnouncerElection.Elect(cluster));
        Assert.Equal(IPAddress.Parse("203.0.113.9"), announcement.Address);
        Assert.Equal("not in any of Maille's address pools (assigned elsewhere)", announcement.Reason);
    }
}
