using System.Net;
using Maille.Engine.Dns;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Dns;

// IP plan: the default configuration puts cluster DNS at 198.18.128.10, the tenth address of the Service CIDR.
public sealed class PodResolvConfTests
{
    private const string Pods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec: {containers: [{name: c}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: agent, namespace: shop}
        spec: {hostNetwork: true, containers: [{name: c}]}
        """;

    [Fact]
    public void A_pod_uses_cluster_dns_with_its_namespace_first_in_the_search_path_and_ndots_5()
    {
        var cluster = Cluster.Valid(Pods);

        Assert.Equal(
            "nameserver 198.18.128.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n",
            PodResolvConf.For(cluster.PodsByName["shop/web"], cluster.Config));
    }

    [Fact]
    public void The_dns_address_and_domain_follow_the_configuration()
    {
        var config = ClusterConfig.Default with { DnsDomain = "lab.example.", DnsServiceIP = IPAddress.Parse("198.18.128.53") };
        var cluster = Cluster.Valid(Pods, config);

        Assert.Equal(
            "nameserver 198.18.128.53\nsearch shop.svc.lab.example svc.lab.example lab.example\noptions ndots:5\n",
            PodResolvConf.For(cluster.PodsByName["shop/web"], config));
    }

    [Fact]
    public void A_host_network_pod_keeps_its_node_resolver_configuration()
    {
        var cluster = Cluster.Valid(Pods);

        Assert.Null(PodResolvConf.For(cluster.PodsByName["shop/agent"], cluster.Config));
    }
}
