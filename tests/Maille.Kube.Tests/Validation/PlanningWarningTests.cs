using System.Net;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Kube.Tests.Validation;

/// <summary>
/// Conditions Kubernetes would not refuse but that leave something unplaced: each is a warning with file, line and
/// object, and the plan still succeeds.
/// </summary>
public sealed class PlanningWarningTests
{
    private static IReadOnlyList<string> Warnings(string yaml, ClusterConfig? config = null)
    {
        var result = Cluster.Plan(yaml, config);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return [.. result.Warnings.Select(w => w.ToString())];
    }

    [Fact]
    public void A_pod_whose_nodeSelector_matches_no_node_stays_pending_with_a_warning_on_its_selector()
    {
        var warnings = Warnings("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: gpu-job
            spec:
              nodeSelector:
                gpu: "true"
              containers:
                - name: job
                  image: job
            """);

        Assert.Equal(["test.yaml:6: Pod default/gpu-job: spec.nodeSelector: no schedulable node matches gpu=true; the pod stays Pending"], warnings);
    }

    [Fact]
    public void For_a_workload_the_nodeSelector_warning_points_into_its_template()
    {
        var result = Cluster.Plan("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: gpu
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: gpu
              template:
                metadata:
                  labels:
                    app: gpu
                spec:
                  nodeSelector:
                    gpu: "true"
                  containers:
                    - name: job
                      image: job
            """);

        var warning = Assert.Single(result.Warnings);
        Assert.Equal((15, "spec.nodeSelector"), (warning.Line, warning.Field));
        Assert.Equal("Pending", Assert.Single(result.Cluster!.Pods).Status.Phase);
    }

    [Fact]
    public void A_node_named_by_a_pod_but_not_declared_is_created_with_a_warning()
    {
        var warnings = Warnings("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: pinned
            spec:
              nodeName: edge-7
              containers:
                - name: web
                  image: nginx
            """);

        Assert.Equal(["test.yaml:6: Node edge-7: not declared, but named by spec.nodeName of default/pinned; created it"], warnings);
    }

    [Fact]
    public void A_full_Service_CIDR_leaves_the_Service_without_a_cluster_IP()
    {
        // 198.18.128.0/30: .0 is the network, .3 the broadcast, .1 and .2 usable; .2 is the DNS Service's.
        var config = ClusterConfig.Default with { ServiceCidr = IPNetwork.Parse("198.18.128.0/30"), DnsServiceIP = IPAddress.Parse("198.18.128.2") };
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Service
            metadata:
              name: a
            spec:
              ports:
                - port: 80
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: b
            spec:
              ports:
                - port: 80
            """, config);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(FieldErrorType.Warning, warning.Type);
        Assert.Equal("spec.clusterIP", warning.Field);
        Assert.EndsWith("spec.clusterIP: the Service CIDR 198.18.128.0/30 is full; left unallocated", warning.ToString(), StringComparison.Ordinal);
        Assert.Single(result.Cluster!.Services, s => s.ClusterIP is null);
    }

    [Fact]
    public void A_full_NodePort_range_leaves_the_port_unallocated()
    {
        var config = ClusterConfig.Default with { NodePortMin = 30000, NodePortMax = 30000 };
        var warnings = Warnings("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              type: NodePort
              ports:
                - name: http
                  port: 80
                - name: https
                  port: 443
            """, config);

        Assert.Equal(["test.yaml:7: Service default/web: spec.ports: the NodePort range 30000-30000 is full; left unallocated"], warnings);
    }

    [Fact]
    public void A_full_pod_CIDR_leaves_the_pod_pending()
    {
        // One node with a /30 pod CIDR (node N gets block N: 198.19.0.4/30) has a single pod address, .6.
        var config = ClusterConfig.Default with { NodeCount = 1, PodCidrPrefix = 30 };
        var result = Cluster.Plan("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: a
            spec:
              containers:
                - name: c
                  image: nginx
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: b
            spec:
              containers:
                - name: c
                  image: nginx
            """, config);

        Assert.True(result.Succeeded);
        Assert.Equal(
            ["test.yaml:13: Pod default/b: node node-1 has no free address left in its pod CIDR 198.19.0.4/30; the pod stays Pending"],
            result.Warnings.Select(w => w.ToString()).ToList());
        Assert.Equal(IPAddress.Parse("198.19.0.6"), result.Cluster!.PodsByName["default/a"].Status.PodIP);
        Assert.Equal("Pending", result.Cluster.PodsByName["default/b"].Status.Phase);
    }
}
