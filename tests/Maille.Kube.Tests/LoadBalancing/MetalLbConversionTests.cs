using System.Net;
using Maille.Model;

namespace Maille.Kube.Tests.LoadBalancing;

/// <summary>MetalLB's IPAddressPool and L2Advertisement are read into the model with every field Maille uses.</summary>
public sealed class MetalLbConversionTests
{
    private static (ManifestSet Manifests, IReadOnlyList<string> Lines) Load(string yaml)
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("metallb.yaml", yaml)]);
        return (manifests, [.. diagnostics.Select(d => d.ToString())]);
    }

    [Fact]
    public void A_pool_keeps_its_addresses_flags_and_service_allocation()
    {
        var (manifests, lines) = Load("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata:
              name: public
              namespace: metallb-system
              labels: {tier: edge}
            spec:
              addresses:
                - 198.18.0.192/27
                - 198.18.1.10 - 198.18.1.20
              autoAssign: false
              avoidBuggyIPs: true
              serviceAllocation:
                priority: 5
                namespaces: [shop]
                namespaceSelectors:
                  - matchLabels: {team: web}
                serviceSelectors:
                  - matchExpressions:
                      - {key: exposure, operator: In, values: [public]}
            """);

        Assert.Empty(lines);
        var pool = Assert.Single(manifests.IPAddressPools);
        Assert.Equal("metallb-system/public", pool.Meta.QualifiedName);
        Assert.Equal(["198.18.0.192/27", "198.18.1.10 - 198.18.1.20"], pool.Addresses);
        Assert.Equal(
            [new AddressRange(IpMath.ToUInt32(IPAddress.Parse("198.18.0.192")), IpMath.ToUInt32(IPAddress.Parse("198.18.0.223"))),
             new AddressRange(IpMath.ToUInt32(IPAddress.Parse("198.18.1.10")), IpMath.ToUInt32(IPAddress.Parse("198.18.1.20")))],
            pool.Ranges);
        Assert.False(pool.AutoAssign);
        Assert.True(pool.AvoidBuggyIPs);
        var allocation = Assert.IsType<ServiceAllocation>(pool.ServiceAllocation);
        Assert.Equal(5, allocation.Priority);
        Assert.Equal(["shop"], allocation.Namespaces);
        Assert.Equal("team=web", Assert.Single(allocation.NamespaceSelectors).ToString());
        Assert.Equal("exposure in (public)", Assert.Single(allocation.ServiceSelectors).ToString());
        Assert.Empty(manifests.Skipped);
    }

    [Fact]
    public void A_pool_without_flags_auto_assigns_and_serves_everyone()
    {
        var (manifests, lines) = Load("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: default, namespace: metallb-system}
            spec:
              addresses: [198.18.0.200-198.18.0.250]
            """);

        Assert.Empty(lines);
        var pool = Assert.Single(manifests.IPAddressPools);
        Assert.True(pool.AutoAssign);
        Assert.False(pool.AvoidBuggyIPs);
        Assert.Null(pool.ServiceAllocation);
        Assert.Equal(51ul, Assert.Single(pool.Ranges).Count);
    }

    [Fact]
    public void An_advertisement_keeps_pools_selectors_and_interfaces()
    {
        var (manifests, lines) = Load("""
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: l2, namespace: metallb-system}
            spec:
              ipAddressPools: [public, private]
              ipAddressPoolSelectors:
                - matchLabels: {tier: edge}
              nodeSelectors:
                - matchLabels: {kubernetes.io/hostname: node-1}
              interfaces: [eth0]
            """);

        Assert.Empty(lines);
        var advertisement = Assert.Single(manifests.L2Advertisements);
        Assert.Equal(["public", "private"], advertisement.IPAddressPools);
        Assert.Equal("tier=edge", Assert.Single(advertisement.IPAddressPoolSelectors).ToString());
        Assert.Equal("kubernetes.io/hostname=node-1", Assert.Single(advertisement.NodeSelectors).ToString());
        Assert.Equal(["eth0"], advertisement.Interfaces);
    }

    [Fact]
    public void An_empty_advertisement_covers_every_pool_from_every_node()
    {
        var (manifests, _) = Load("""
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: everything, namespace: metallb-system}
            """);

        var advertisement = Assert.Single(manifests.L2Advertisements);
        Assert.True(advertisement.Covers(new IPAddressPool { Meta = new ObjectMeta { Name = "any" } }));
        Assert.Empty(advertisement.NodeSelectors);
        Assert.Empty(advertisement.Interfaces);
    }

    [Fact]
    public void An_IPv6_range_is_accepted_with_a_warning_and_not_used()
    {
        var (manifests, lines) = Load("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: dual, namespace: metallb-system}
            spec:
              addresses: [198.18.0.200/30, "2001:db8::/120"]
            """);

        Assert.Equal(
            ["metallb.yaml:5: IPAddressPool metallb-system/dual: spec.addresses[1]: \"2001:db8::/120\" is IPv6: accepted but not used, Maille allocates IPv4 LoadBalancer addresses only"],
            lines);
        Assert.Single(Assert.Single(manifests.IPAddressPools).Ranges);
    }
}
