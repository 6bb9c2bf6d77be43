using System.Net;
using Maille.Engine.LoadBalancing;
using Maille.Model;
using Maille.TestKit;
using static Maille.Engine.Tests.LoadBalancing.LoadBalancerYaml;

namespace Maille.Engine.Tests.LoadBalancing;

// IP plan: node network 198.18.0.0/24 (nodes .11-.13); the configuration's default pool 198.18.0.200-198.18.0.250;
// test pools inside 198.18.0.0/24 or 198.18.1.0/24.
public sealed class LoadBalancerAllocationTests
{
    private static IPAddress? AddressOf(ClusterState cluster, string service) =>
        cluster.LoadBalancing.ByService[service].Address;

    private static LoadBalancerAllocation AllocationOf(ClusterState cluster, string service) => cluster.LoadBalancing.ByService[service];

    private static uint Host(IPAddress address) => IpMath.ToUInt32(address) & 0xFF;

    [Fact]
    public void Without_any_pool_the_configuration_pool_gives_the_address_and_it_shows_in_the_status()
    {
        var cluster = Cluster.Valid(Service("web"));

        var service = cluster.ServicesByName["default/web"];
        var address = IPAddress.Parse(Assert.Single(service.LoadBalancerIngress));
        Assert.InRange(Host(address), 200u, 250u);
        Assert.Equal("default", service.Meta.Annotations.Get(LoadBalancerAnnotations.AllocatedFromPool));
        Assert.Equal(LoadBalancerAllocationKind.Allocated, AllocationOf(cluster, "default/web").Kind);
    }

    [Fact]
    public void Input_pools_replace_the_configuration_pool()
    {
        var cluster = Cluster.Valid(Pool("edge", "[198.18.1.16/30]") + Service("web"));

        var allocation = AllocationOf(cluster, "default/web");
        Assert.Equal("edge", allocation.Pool);
        Assert.True(IPNetwork.Parse("198.18.1.16/30").Contains(allocation.Address!), $"{allocation.Address}");
    }

    [Fact]
    public void The_same_input_in_any_order_gives_the_same_addresses()
    {
        var documents = Enumerable.Range(0, 12).Select(i => Service($"svc-{i}", ports: $"[{{port: {80 + (i % 3)}}}]",
            annotations: i % 4 == 0 ? "{metallb.io/allow-shared-ip: shared}" : null)).ToList();
        var forward = Cluster.Valid(string.Concat(documents));
        documents.Reverse();
        var backward = Cluster.Valid(string.Concat(documents));
        var shuffled = Cluster.Valid(string.Concat(documents.Where((_, i) => i % 2 == 0).Concat(documents.Where((_, i) => i % 2 == 1))));

        Assert.Equal(forward.LoadBalancing.Allocations, backward.LoadBalancing.Allocations);
        Assert.Equal(forward.LoadBalancing.Allocations, shuffled.LoadBalancing.Allocations);
    }

    [Fact]
    public void Adding_services_one_at_a_time_moves_at_most_one_existing_address_each_time()
    {
        var yaml = string.Concat(Enumerable.Range(0, 10).Select(i => Service($"app-{i}")));
        var before = Cluster.Valid(yaml);
        var moves = new List<int>();
        foreach (var name in new[] { "aardvark", "zebra", "middle", "app-10", "b" })
        {
            yaml += Service(name);
            var after = Cluster.Valid(yaml);
            var moved = before.LoadBalancing.Allocations.Count(a => !Equals(a.Address, AddressOf(after, a.Service)));
            moves.Add(moved);
            before = after;
        }

        Assert.All(moves, moved => Assert.InRange(moved, 0, 1));
    }

    [Fact]
    public void A_released_address_goes_back_to_the_pool_and_the_result_does_not_depend_on_history()
    {
        // A pool of two: with "a" gone, "c" takes the address "a" had.
        var pool = Pool("two", "[198.18.1.1-198.18.1.2]");
        var full = Cluster.Plan(pool + Service("a") + Service("b") + Service("c")).Cluster!;
        Assert.Equal(LoadBalancerAllocationKind.Pending, AllocationOf(full, "default/c").Kind);

        var released = Cluster.Valid(pool + Service("b") + Service("c"));
        Assert.Equal(AddressOf(full, "default/b"), AddressOf(released, "default/b"));
        Assert.Equal(AddressOf(full, "default/a"), AddressOf(released, "default/c"));

        var replayed = Cluster.Valid(pool + Service("c") + Service("b"));
        Assert.Equal(released.LoadBalancing.Allocations, replayed.LoadBalancing.Allocations);
    }

    [Fact]
    public void An_exhausted_pool_leaves_the_service_pending_with_the_reason_as_a_warning()
    {
        var result = Cluster.Plan(Pool("small", "[198.18.1.1-198.18.1.2]") + Service("a") + Service("b") + Service("c"));

        Assert.True(result.Succeeded);
        var pending = AllocationOf(result.Cluster!, "default/c");
        Assert.Equal(LoadBalancerAllocationKind.Pending, pending.Kind);
        Assert.Null(pending.Address);
        Assert.Equal("no available IPs in pool \"small\" (\"small\" 2 addresses, 2 in use)", pending.Reason);
        Assert.Empty(result.Cluster!.ServicesByName["default/c"].LoadBalancerIngress);
        Assert.Contains(result.Warnings.Select(w => w.ToString()),
            w => w == "test.yaml:35: Service default/c: status.loadBalancer: no available IPs in pool \"small\" (\"small\" 2 addresses, 2 in use); EXTERNAL-IP stays <pending>");
    }

    [Fact]
    public void A_requested_address_from_spec_or_annotation_is_given_as_asked()
    {
        var cluster = Cluster.Valid(
            Service("by-spec", extra: "loadBalancerIP: 198.18.0.210")
            + Service("by-annotation", annotations: "{metallb.io/loadBalancerIPs: 198.18.0.220}")
            + Service("by-old-annotation", annotations: "{metallb.universe.tf/loadBalancerIPs: 198.18.0.230}"));

        Assert.Equal(IPAddress.Parse("198.18.0.210"), AddressOf(cluster, "default/by-spec"));
        Assert.Equal(IPAddress.Parse("198.18.0.220"), AddressOf(cluster, "default/by-annotation"));
        Assert.Equal(IPAddress.Parse("198.18.0.230"), AddressOf(cluster, "default/by-old-annotation"));
        Assert.All(cluster.LoadBalancing.Allocations, a => Assert.Equal(LoadBalancerAllocationKind.Requested, a.Kind));
    }

    [Fact]
    public void Requested_addresses_are_served_before_dynamic_ones_so_no_dynamic_service_takes_them()
    {
        // Every address of a one-address pool is wanted by "zz"; "aa" sorts first but asks for nothing.
        var cluster = Cluster.Plan(Pool("one", "[198.18.1.7/32]") + Service("aa") + Service("zz", extra: "loadBalancerIP: 198.18.1.7")).Cluster!;

        Assert.Equal(IPAddress.Parse("198.18.1.7"), AddressOf(cluster, "default/zz"));
        Assert.Equal(LoadBalancerAllocationKind.Pending, AllocationOf(cluster, "default/aa").Kind);
    }

    [Theory]
    [InlineData("loadBalancerIP: 198.18.5.5", "requested 198.18.5.5 is not in any address pool")]
    [InlineData("loadBalancerIP: 2001:db8::5", "spec.loadBalancerIP asks for 2001:db8::5: Maille gives IPv4 LoadBalancer addresses only")]
    [InlineData("loadBalancerIP: 198.18.0.0205", "spec.loadBalancerIP: \"198.18.0.0205\" is not an IP address")]
    public void A_requested_address_that_cannot_be_given_leaves_the_service_pending(string extra, string reason)
    {
        var cluster = Cluster.Valid(Service("web", extra: extra));

        Assert.Equal(reason, AllocationOf(cluster, "default/web").Reason);
        Assert.Empty(cluster.ServicesByName["default/web"].LoadBalancerIngress);
    }

    [Fact]
    public void Requesting_by_annotation_and_by_spec_at_once_is_refused()
    {
        var cluster = Cluster.Valid(Service("web", extra: "loadBalancerIP: 198.18.0.210", annotations: "{metallb.io/loadBalancerIPs: 198.18.0.210}"));

        Assert.Equal("metallb.io/loadBalancerIPs and spec.loadBalancerIP are both set; a Service may use only one", AllocationOf(cluster, "default/web").Reason);
    }

    [Fact]
    public void Two_services_requesting_one_address_without_sharing_the_older_one_gets_it()
    {
        var cluster = Cluster.Valid(
            Service("newer", extra: "loadBalancerIP: 198.18.0.210").Replace("  namespace: default\n", "  namespace: default\n  creationTimestamp: 2025-02-01T00:00:00Z\n", StringComparison.Ordinal)
            + Service("older", extra: "loadBalancerIP: 198.18.0.210").Replace("  namespace: default\n", "  namespace: default\n  creationTimestamp: 2025-01-01T00:00:00Z\n", StringComparison.Ordinal));

        Assert.Equal(IPAddress.Parse("198.18.0.210"), AddressOf(cluster, "default/older"));
        Assert.Equal("198.18.0.210 is used by default/older, which does not allow sharing", AllocationOf(cluster, "default/newer").Reason);
    }

    [Fact]
    public void Services_with_the_same_sharing_key_and_different_ports_share_one_address()
    {
        var cluster = Cluster.Valid(
            Service("dns-tcp", ports: "[{port: 53, protocol: TCP}]", annotations: "{metallb.io/allow-shared-ip: dns}")
            + Service("dns-udp", ports: "[{port: 53, protocol: UDP}]", annotations: "{metallb.io/allow-shared-ip: dns}")
            + Service("dns-admin", ports: "[{port: 8053}]", annotations: "{metallb.universe.tf/allow-shared-ip: dns}"));

        var address = AddressOf(cluster, "default/dns-tcp");
        Assert.NotNull(address);
        Assert.Equal(address, AddressOf(cluster, "default/dns-udp"));
        Assert.Equal(address, AddressOf(cluster, "default/dns-admin"));
    }

    [Fact]
    public void Requested_sharing_is_allowed_for_the_same_key_and_refused_for_a_port_already_used()
    {
        var cluster = Cluster.Valid(
            Service("a", ports: "[{port: 53, protocol: UDP}]", annotations: "{metallb.io/allow-shared-ip: k, metallb.io/loadBalancerIPs: 198.18.0.210}")
            + Service("b", ports: "[{port: 53, protocol: TCP}]", annotations: "{metallb.io/allow-shared-ip: k, metallb.io/loadBalancerIPs: 198.18.0.210}")
            + Service("c", ports: "[{port: 53, protocol: UDP}]", annotations: "{metallb.io/allow-shared-ip: k, metallb.io/loadBalancerIPs: 198.18.0.210}")
            + Service("d", ports: "[{port: 99}]", annotations: "{metallb.io/allow-shared-ip: other, metallb.io/loadBalancerIPs: 198.18.0.210}")
            + Service("e", ports: "[{port: 98}]", annotations: "{metallb.io/loadBalancerIPs: 198.18.0.210}"));

        Assert.Equal(IPAddress.Parse("198.18.0.210"), AddressOf(cluster, "default/a"));
        Assert.Equal(IPAddress.Parse("198.18.0.210"), AddressOf(cluster, "default/b"));
        Assert.Equal("port 53/UDP is already used on 198.18.0.210 by default/a", AllocationOf(cluster, "default/c").Reason);
        Assert.Equal("198.18.0.210 is used by default/a with sharing key \"k\", not \"other\"", AllocationOf(cluster, "default/d").Reason);
        Assert.Equal("198.18.0.210 is used by default/a, and this Service does not allow sharing (metallb.io/allow-shared-ip is not set)", AllocationOf(cluster, "default/e").Reason);
    }

    [Fact]
    public void Sharing_under_local_policy_needs_the_same_selector()
    {
        const string Key = "{metallb.io/allow-shared-ip: k, metallb.io/loadBalancerIPs: 198.18.0.210}";
        var cluster = Cluster.Valid(
            Service("a", ports: "[{port: 80}]", annotations: Key, extra: "externalTrafficPolicy: Local")
            + Service("b", ports: "[{port: 81}]", annotations: Key, extra: "externalTrafficPolicy: Local")
            + Service("c", ports: "[{port: 82}]", annotations: Key, extra: "externalTrafficPolicy: Local", selector: "{app: other}")
            + Service("d", ports: "[{port: 83}]", annotations: Key));

        Assert.Equal(IPAddress.Parse("198.18.0.210"), AddressOf(cluster, "default/b"));
        Assert.Equal("198.18.0.210 is used by default/a; sharing needs both Services on externalTrafficPolicy Cluster, or the same selector under Local (\"app=web\" vs \"app=other\")",
            AllocationOf(cluster, "default/c").Reason);
        Assert.StartsWith("198.18.0.210 is used by default/a; sharing needs", AllocationOf(cluster, "default/d").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dynamic_service_whose_ports_collide_with_its_sharing_group_gets_an_address_of_its_own()
    {
        var cluster = Cluster.Valid(
            Service("first", annotations: "{metallb.io/allow-shared-ip: k}")
            + Service("second", annotations: "{metallb.io/allow-shared-ip: k}"));

        Assert.NotNull(AddressOf(cluster, "default/second"));
        Assert.NotEqual(AddressOf(cluster, "default/first"), AddressOf(cluster, "default/second"));
    }

    [Fact]
    public void Only_services_without_a_class_or_with_maille_class_are_given_an_address()
    {
        var cluster = Cluster.Valid(
            Service("ours", extra: "loadBalancerClass: maille.dev/lb")
            + Service("theirs", extra: "loadBalancerClass: example.com/cloud")
            + Service("theirs-with-status", extra: "loadBalancerClass: example.com/cloud", status: "{loadBalancer: {ingress: [{ip: 203.0.113.7}]}}"));

        Assert.NotNull(AddressOf(cluster, "default/ours"));
        var theirs = AllocationOf(cluster, "default/theirs");
        Assert.Equal(LoadBalancerAllocationKind.OtherClass, theirs.Kind);
        Assert.Empty(cluster.ServicesByName["default/theirs"].LoadBalancerIngress);
        Assert.DoesNotContain(cluster.Warnings, w => w.Object?.Name == "theirs");
        Assert.Equal(["203.0.113.7"], cluster.ServicesByName["default/theirs-with-status"].LoadBalancerIngress);
    }

    [Fact]
    public void Without_load_balancer_node_ports_the_service_still_gets_an_address()
    {
        var cluster = Cluster.Valid(Service("direct", extra: "allocateLoadBalancerNodePorts: false"));

        var service = cluster.ServicesByName["default/direct"];
        Assert.Single(service.LoadBalancerIngress);
        Assert.All(service.Ports, p => Assert.Null(p.NodePort));
    }

    [Fact]
    public void A_status_address_from_a_dump_is_kept_and_no_other_service_is_given_it()
    {
        var cluster = Cluster.Valid(
            Pool("one-left", "[198.18.1.1-198.18.1.2]")
            + Service("dumped", status: "{loadBalancer: {ingress: [{ip: 198.18.1.1}]}}")
            + Service("fresh-a") + Service("fresh-b"));

        var dumped = AllocationOf(cluster, "default/dumped");
        Assert.Equal(LoadBalancerAllocationKind.Kept, dumped.Kind);
        Assert.Equal("one-left", dumped.Pool);
        Assert.Null(cluster.ServicesByName["default/dumped"].Meta.Annotations.Get(LoadBalancerAnnotations.AllocatedFromPool));
        Assert.Equal([IPAddress.Parse("198.18.1.2")], cluster.LoadBalancing.Allocations.Where(a => a.Service.StartsWith("default/fresh", StringComparison.Ordinal)).Select(a => a.Address).OfType<IPAddress>());
    }

    [Fact]
    public void Avoiding_buggy_ips_skips_addresses_ending_in_0_and_255()
    {
        var avoid = Cluster.Valid(Pool("edge", "[198.18.1.255-198.18.2.0]", "avoidBuggyIPs: true") + Service("a") + Service("b", extra: "loadBalancerIP: 198.18.2.0"));
        var allow = Cluster.Valid(Pool("edge", "[198.18.1.255-198.18.2.0]") + Service("a") + Service("b", extra: "loadBalancerIP: 198.18.2.0"));

        Assert.Equal("no available IPs in pool \"edge\" (\"edge\" 0 addresses, 0 in use)", AllocationOf(avoid, "default/a").Reason);
        Assert.Equal("requested 198.18.2.0 ends in .0 or .255, which pool \"edge\" avoids (avoidBuggyIPs)", AllocationOf(avoid, "default/b").Reason);
        Assert.Equal(IPAddress.Parse("198.18.1.255"), AddressOf(allow, "default/a"));
        Assert.Equal(IPAddress.Parse("198.18.2.0"), AddressOf(allow, "default/b"));
    }

    [Fact]
    public void A_pool_without_auto_assign_serves_only_services_that_name_it_or_ask_for_its_addresses()
    {
        var cluster = Cluster.Valid(
            Pool("reserved", "[198.18.1.0/28]", "autoAssign: false")
            + Service("plain")
            + Service("named", annotations: "{metallb.io/address-pool: reserved}")
            + Service("asked", extra: "loadBalancerIP: 198.18.1.9"));

        Assert.StartsWith("no pool serves this Service: pool \"reserved\" has autoAssign: false", AllocationOf(cluster, "default/plain").Reason, StringComparison.Ordinal);
        Assert.Equal("reserved", AllocationOf(cluster, "default/named").Pool);
        Assert.Equal(IPAddress.Parse("198.18.1.9"), AddressOf(cluster, "default/asked"));
    }

    [Fact]
    public void An_unknown_pool_annotation_or_a_request_outside_the_named_pool_is_refused()
    {
        var cluster = Cluster.Valid(
            Pool("a", "[198.18.1.0/28]") + Pool("b", "[198.18.1.16/28]")
            + Service("unknown", annotations: "{metallb.io/address-pool: c}")
            + Service("mismatch", annotations: "{metallb.io/address-pool: a, metallb.io/loadBalancerIPs: 198.18.1.20}"));

        Assert.Equal("metallb.io/address-pool names pool \"c\", which does not exist", AllocationOf(cluster, "default/unknown").Reason);
        Assert.Equal("requested 198.18.1.20 is in pool \"b\", not in pool \"a\" named by metallb.io/address-pool", AllocationOf(cluster, "default/mismatch").Reason);
    }

    [Fact]
    public void Pools_with_a_priority_are_used_first_lowest_number_first_and_the_next_when_full()
    {
        var cluster = Cluster.Valid(
            Pool("general", "[198.18.1.0/28]")
            + Pool("second", "[198.18.1.32/32]", "serviceAllocation: {priority: 20}")
            + Pool("first", "[198.18.1.16/32]", "serviceAllocation: {priority: 10}")
            + Service("a") + Service("b") + Service("c"));

        var pools = cluster.LoadBalancing.Allocations.Select(a => a.Pool).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["first", "general", "second"], pools);
    }

    [Fact]
    public void A_pool_for_some_namespaces_serves_them_and_nobody_else()
    {
        var cluster = Cluster.Valid(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: web}}\n---\n"
            + "apiVersion: v1\nkind: Namespace\nmetadata: {name: blog, labels: {team: web}}\n---\n"
            + "apiVersion: v1\nkind: Namespace\nmetadata: {name: ops}\n---\n"
            + Pool("general", "[198.18.1.0/28]")
            + Pool("shop-only", "[198.18.1.16/28]", "serviceAllocation: {namespaces: [shop]}")
            + Pool("web-team", "[198.18.1.32/28]", "serviceAllocation: {priority: 1, namespaceSelectors: [{matchLabels: {team: web}}]}")
            + Service("a", ns: "shop") + Service("b", ns: "blog") + Service("c", ns: "ops")
            + Service("d", ns: "ops", annotations: "{metallb.io/address-pool: shop-only}"));

        Assert.Equal("web-team", AllocationOf(cluster, "shop/a").Pool);
        Assert.Equal("web-team", AllocationOf(cluster, "blog/b").Pool);
        Assert.Equal("general", AllocationOf(cluster, "ops/c").Pool);
        Assert.Equal("pool \"shop-only\" named by metallb.io/address-pool serves only namespaces listed or selected by its serviceAllocation, not \"ops\"", AllocationOf(cluster, "ops/d").Reason);
    }

    [Fact]
    public void A_pool_with_service_selectors_serves_only_matching_services()
    {
        var cluster = Cluster.Valid(
            Pool("general", "[198.18.1.0/28]")
            + Pool("public", "[198.18.1.16/28]", "serviceAllocation: {serviceSelectors: [{matchLabels: {exposure: public}}]}")
            + Service("open", labels: "{exposure: public}") + Service("closed"));

        Assert.Equal("public", AllocationOf(cluster, "default/open").Pool);
        Assert.Equal("general", AllocationOf(cluster, "default/closed").Pool);
    }

    [Fact]
    public void A_configuration_pool_is_checked_like_an_input_pool()
    {
        var config = ClusterConfig.Default with
        {
            Source = "lab/cluster.yaml",
            LoadBalancerPools = new[] { new AddressPoolConfig("lab", new[] { "198.18.0.300-198.18.0.310", "198.18.0.8/30" }) },
        };

        Assert.Equal(
            [
                "lab/cluster.yaml: ClusterConfig cluster.yaml: loadBalancerPools[0].addresses[0]: Invalid value: \"198.18.0.300-198.18.0.310\": must be a CIDR (e.g. 198.18.0.192/27) or a range FIRST-LAST of IPv4 addresses (e.g. 198.18.0.200-198.18.0.250)",
                "lab/cluster.yaml: ClusterConfig cluster.yaml: loadBalancerPools[0].addresses[1]: Invalid value: \"198.18.0.8/30\": contains the address 198.18.0.11 of node node-1",
            ],
            Cluster.Errors(Service("web"), config));
    }
}
