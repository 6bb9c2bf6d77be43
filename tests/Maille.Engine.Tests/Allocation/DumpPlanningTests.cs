using System.Net;
using Maille.TestKit;

namespace Maille.Engine.Tests.Allocation;

// A dump of a kind cluster: Service CIDR 10.96.0.0/12, pods already placed by their controllers.
public sealed class DumpPlanningTests
{
    private const string StatefulSetWithItsPods = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-0
          labels: {app: db}
          ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s1, controller: true}]
        spec: {nodeName: node-1, containers: [{name: c, ports: [{containerPort: 5432}]}]}
        status: {podIP: 198.19.1.9}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-1
          labels: {app: db}
          ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s1, controller: true}]
        spec: {nodeName: node-2, containers: [{name: c, ports: [{containerPort: 5432}]}]}
        status: {podIP: 198.19.2.9}
        """;

    [Fact]
    public void Workloads_whose_pods_are_in_the_dump_are_not_expanded_again()
    {
        var cluster = Cluster.Valid(StatefulSetWithItsPods);
        Assert.Equal(["default/db-0", "default/db-1"], cluster.Pods.Select(p => p.QualifiedName));
        Assert.Equal(IPAddress.Parse("198.19.1.9"), cluster.PodsByName["default/db-0"].Status.PodIP);
    }

    [Fact]
    public void A_generated_pod_that_collides_with_a_declared_one_is_an_error_not_a_crash()
    {
        var yaml = StatefulSetWithItsPods.Replace("  ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, uid: s1, controller: true}]\n", "", StringComparison.Ordinal);
        var errors = Cluster.Errors(yaml);
        Assert.Contains(errors, e => e.EndsWith("Pod default/db-0: metadata.name: Duplicate value: \"db-0\": StatefulSet default/db would create a pod of the same name", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deployment_whose_replicaset_is_in_the_dump_is_not_expanded()
    {
        var cluster = Cluster.Valid("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web-abc
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c}]}}
            """);
        var pod = Assert.Single(cluster.Pods);
        Assert.StartsWith("web-abc-", pod.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_ips_of_a_real_cluster_give_the_service_cidr_when_no_config_is_given()
    {
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Service
            metadata: {name: kubernetes, namespace: default}
            spec: {clusterIP: 10.96.0.1, ports: [{port: 443}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: kube-dns, namespace: kube-system}
            spec: {clusterIP: 10.96.0.10, ports: [{port: 53, protocol: UDP}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: fresh}
            spec: {ports: [{port: 80}]}
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(IPNetwork.Parse("10.96.0.0/24"), result.Cluster!.Config.ServiceCidr);
        Assert.Equal(IPAddress.Parse("10.96.0.10"), result.Cluster.Config.EffectiveDnsServiceIP);
        Assert.True(result.Cluster.Config.ServiceCidr.Contains(result.Cluster.ServicesByName["default/fresh"].ClusterIP!));
        Assert.Contains(result.Warnings, w => w.Detail.Contains("using 10.96.0.0/24", StringComparison.Ordinal));
    }

    [Fact]
    public void Ports_with_the_same_number_share_one_node_port()
    {
        var service = Cluster.Valid("""
            apiVersion: v1
            kind: Service
            metadata: {name: dns}
            spec:
              type: NodePort
              ports: [{name: udp, port: 53, protocol: UDP}, {name: tcp, port: 53, protocol: TCP}, {name: web, port: 80}]
            """).ServicesByName["default/dns"];
        Assert.Equal(service.Ports[0].NodePort, service.Ports[1].NodePort);
        Assert.NotEqual(service.Ports[0].NodePort, service.Ports[2].NodePort);
    }

    [Fact]
    public void More_nodes_than_the_node_network_holds_is_an_error()
    {
        var config = Model.ClusterConfig.Default with { NodeNetwork = IPNetwork.Parse("198.18.0.0/28"), NodeCount = 5 };
        var errors = Cluster.Errors("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", config);
        Assert.Contains(errors, e => e.Contains("Node node-5: status.addresses: Invalid value: \"198.18.0.15\": node 5 has no address left in the node network 198.18.0.0/28", StringComparison.Ordinal));
    }
}
