using Maille.Engine.Dns;
using Maille.Kube;
using Maille.Model;

namespace Maille.Engine.Tests.Dns;

// IP plan: the default configuration: cluster DNS at 198.18.128.10, three nodes with pods in 198.19.N.0/24.
public sealed class SystemManifestsTests
{
    private const string Shop = """
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {selector: {app: api}, ports: [{port: 80}]}
        """;

    private static ClusterState PlanWithDns(string yaml, ClusterConfig? config = null)
    {
        config ??= ClusterConfig.Default;
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("test.yaml", yaml)]);
        var result = ClusterPlanner.Plan(SystemManifests.WithClusterDns(manifests, config), config, diagnostics);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }

    [Fact]
    public void Cluster_dns_is_a_service_in_kube_system_at_the_configured_address_over_two_dns_pods()
    {
        var cluster = PlanWithDns(Shop);

        var service = cluster.ServicesByName["kube-system/kube-dns"];
        Assert.Equal(cluster.Config.EffectiveDnsServiceIP, service.ClusterIP);
        Assert.Equal(["53/UDP", "53/TCP"], service.Ports.Select(p => p.ToString()));
        var dnsPods = cluster.Pods.Where(SystemManifests.IsClusterDnsPod).ToList();
        Assert.Equal(2, dnsPods.Count);
        Assert.All(dnsPods, p => Assert.StartsWith("coredns-", p.Name, StringComparison.Ordinal));
        Assert.Equal(2, dnsPods.Select(p => p.Spec.NodeName).Distinct().Count());
        var endpoints = cluster.SlicesFor(service).SelectMany(s => s.Endpoints).Select(e => e.TargetPod).Order(StringComparer.Ordinal);
        Assert.Equal(dnsPods.Select(p => p.QualifiedName).Order(StringComparer.Ordinal), endpoints);
        Assert.DoesNotContain(cluster.Warnings, w => w.ToString().Contains("kube-system", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dns_service_resolves_to_its_own_address()
    {
        var cluster = PlanWithDns(Shop);

        var answer = ClusterDnsZone.Build(cluster).Resolve(new DnsQuestion("kube-dns.kube-system.svc.cluster.local", DnsRecordType.A));

        Assert.Equal($"kube-dns.kube-system.svc.cluster.local. 5 IN A {cluster.Config.EffectiveDnsServiceIP}", Assert.Single(answer.Answers).ToString());
    }

    [Fact]
    public void Dns_objects_the_input_already_has_are_not_added_again()
    {
        const string Dump = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: kube-system}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: kube-dns, namespace: kube-system}
            spec: {clusterIP: 198.18.128.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns-abc, namespace: kube-system, labels: {k8s-app: kube-dns}}
            spec: {containers: [{name: coredns, ports: [{containerPort: 53, protocol: UDP}]}]}
            """;

        var cluster = PlanWithDns(Dump);

        Assert.Equal(["kube-system/coredns-abc"], cluster.Pods.Where(SystemManifests.IsClusterDnsPod).Select(p => p.QualifiedName));
        Assert.Equal(["53/UDP"], cluster.ServicesByName["kube-system/kube-dns"].Ports.Select(p => p.ToString()));
        Assert.Single(cluster.Namespaces, n => n.Name == "kube-system");
    }

    [Fact]
    public void Planning_without_it_adds_nothing_so_offline_results_do_not_change()
    {
        var cluster = Maille.TestKit.Cluster.Valid(Shop);

        Assert.DoesNotContain(cluster.Services, s => s.Namespace == "kube-system");
        Assert.DoesNotContain(cluster.Pods, SystemManifests.IsClusterDnsPod);
        Assert.Equal(ManifestSet.Empty, SystemManifests.WithClusterDns(ManifestSet.Empty, ClusterConfig.Default) with
        {
            Namespaces = ManifestSet.Empty.Namespaces,
            Services = ManifestSet.Empty.Services,
            Workloads = ManifestSet.Empty.Workloads,
        });
    }
}
