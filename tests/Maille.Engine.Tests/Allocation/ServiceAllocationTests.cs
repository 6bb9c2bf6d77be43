using System.Net;
using Maille.Engine.Allocation;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Allocation;

// IP plan: Service CIDR 198.18.128.0/17 (32,768 addresses): static band = first 256, dynamic band above it.
// NodePort range 30000-32767 (2,768 ports): static band = first 86 (30000-30085), dynamic above it.
public sealed class ServiceAllocationTests
{
    private const string ThreeServices = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: default}
        spec:
          selector: {app: db}
          ports: [{port: 5432}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: lb, namespace: default}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{name: http, port: 80}, {name: dns, port: 53, protocol: UDP}]
        """;

    [Fact]
    public void Dynamic_cluster_ips_come_from_the_upper_band_of_the_service_cidr()
    {
        var cluster = Cluster.Valid(ThreeServices);
        var cidr = ClusterConfig.Default.ServiceCidr;
        foreach (var service in cluster.Services)
        {
            Assert.NotNull(service.ClusterIP);
            Assert.True(cidr.Contains(service.ClusterIP!), $"{service.ClusterIP} outside {cidr}");
            var offset = IpMath.ToUInt32(service.ClusterIP!) - IpMath.ToUInt32(cidr.BaseAddress);
            Assert.True(offset > 256, $"{service.Name} got {service.ClusterIP}, inside the static band");
        }

        Assert.Equal(3, cluster.Services.Select(s => s.ClusterIP).Distinct().Count());
    }

    [Fact]
    public void An_explicit_cluster_ip_in_the_static_band_is_accepted_and_kept()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: fixed}
            spec:
              clusterIP: 198.18.128.20
              ports: [{port: 80}]
            """);
        Assert.Equal(IPAddress.Parse("198.18.128.20"), cluster.ServicesByName["default/fixed"].ClusterIP);
    }

    [Fact]
    public void Dynamic_node_ports_come_from_the_upper_band_and_explicit_ones_are_kept()
    {
        var cluster = Cluster.Valid(ThreeServices + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: pinned}
            spec:
              type: NodePort
              ports: [{port: 80, nodePort: 30000}]
            """);
        Assert.Equal(30000, cluster.ServicesByName["default/pinned"].Ports[0].NodePort);
        var dynamic = cluster.Services.Where(s => s.Name != "pinned").SelectMany(s => s.Ports).Select(p => p.NodePort).OfType<int>().ToList();
        Assert.Equal(3, dynamic.Count);
        Assert.All(dynamic, port => Assert.InRange(port, 30086, 32767));
        Assert.Equal(dynamic.Count, dynamic.Distinct().Count());
    }

    [Fact]
    public void Cluster_ip_services_get_no_node_port_and_load_balancers_get_one_per_port()
    {
        var cluster = Cluster.Valid(ThreeServices);
        Assert.Null(cluster.ServicesByName["default/db"].Ports[0].NodePort);
        Assert.All(cluster.ServicesByName["default/lb"].Ports, p => Assert.NotNull(p.NodePort));
    }

    [Fact]
    public void Load_balancer_without_node_port_allocation_gets_a_cluster_ip_but_no_node_ports()
    {
        var service = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: direct}
            spec:
              type: LoadBalancer
              allocateLoadBalancerNodePorts: false
              ports: [{port: 80}]
            """).ServicesByName["default/direct"];
        Assert.NotNull(service.ClusterIP);
        Assert.Null(service.Ports[0].NodePort);
    }

    [Fact]
    public void Headless_and_external_name_services_get_no_ip_and_no_port()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: headless}
            spec:
              clusterIP: None
              selector: {app: db}
              ports: [{port: 5432}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: external}
            spec:
              type: ExternalName
              externalName: db.example.com
            """);
        var headless = cluster.ServicesByName["default/headless"];
        Assert.True(headless.Headless);
        Assert.Null(headless.ClusterIP);
        var external = cluster.ServicesByName["default/external"];
        Assert.Null(external.ClusterIP);
        Assert.Empty(external.Ports);
        Assert.Empty(cluster.SlicesFor(external));
    }

    [Fact]
    public void The_same_input_in_any_file_order_yields_the_same_addresses()
    {
        var documents = ThreeServices.Split("---\n");
        var forward = Cluster.Plan(documents.Select((d, i) => new ManifestSource($"f{i}.yaml", d))).Cluster!;
        var backward = Cluster.Plan(documents.Reverse().Select((d, i) => new ManifestSource($"b{i}.yaml", d))).Cluster!;
        Assert.Equal(
            forward.Services.Select(s => $"{s.QualifiedName} {s.ClusterIP} {string.Join(",", s.Ports)}"),
            backward.Services.Select(s => $"{s.QualifiedName} {s.ClusterIP} {string.Join(",", s.Ports)}"));
    }

    [Fact]
    public void The_cluster_dns_address_is_never_given_to_another_service()
    {
        var config = ClusterConfig.Default with { ServiceCidr = IPNetwork.Parse("198.18.128.0/28") };
        var yaml = string.Join("---\n", Enumerable.Range(0, 13).Select(i => $"apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  ports: [{{port: 80}}]\n"));
        var cluster = Cluster.Valid(yaml, config);
        Assert.DoesNotContain(cluster.Services, s => config.EffectiveDnsServiceIP.Equals(s.ClusterIP));
        Assert.Equal(13, cluster.Services.Select(s => s.ClusterIP).Distinct().Count());
    }

    [Fact]
    public void Banded_allocator_uses_the_lower_band_only_when_the_upper_band_is_full()
    {
        var allocator = new BandedAllocator(first: 0, size: 20, staticBandSize: 16);
        var values = Enumerable.Range(0, 5).Select(i => allocator.Allocate($"s{i}")).ToList();
        Assert.All(values.Take(4), v => Assert.InRange(v!.Value, 16ul, 19ul));
        Assert.InRange(values[4]!.Value, 0ul, 15ul);
    }

    [Fact]
    public void Band_sizes_follow_the_keps()
    {
        Assert.Equal(256ul, BandedAllocator.ClusterIPStaticBand(65536));
        Assert.Equal(16ul, BandedAllocator.ClusterIPStaticBand(64));
        Assert.Equal(86ul, BandedAllocator.NodePortStaticBand(2768));
    }

    [Fact]
    public void Local_load_balancers_get_a_health_check_node_port()
    {
        var service = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: local}
            spec:
              type: LoadBalancer
              externalTrafficPolicy: Local
              ports: [{port: 80}]
            """).ServicesByName["default/local"];
        Assert.InRange(service.HealthCheckNodePort!.Value, 30000, 32767);
        Assert.NotEqual(service.Ports[0].NodePort, service.HealthCheckNodePort);
    }
}
