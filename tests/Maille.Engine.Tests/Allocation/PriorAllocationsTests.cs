using Maille.TestKit;

namespace Maille.Engine.Tests.Allocation;

public sealed class PriorAllocationsTests
{
    private const string Nodes = """
        apiVersion: v1
        kind: Node
        metadata: {name: n1}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: n2}
        """;

    private static string Pod(string name) => "\n" + $$"""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: default}
        spec: {containers: [{name: c, image: x}]}
        """;

    private static string NodePortService(string name, string? clusterIP = null, int? nodePort = null) => "\n" + $$"""
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: default}
        spec:
          type: NodePort
          {{(clusterIP is null ? "" : $"clusterIP: {clusterIP}")}}
          ports: [{port: 80{{(nodePort is null ? "" : $", nodePort: {nodePort}")}}}]
        """;

    [Fact]
    public void A_pod_added_before_the_others_in_name_order_does_not_move_them()
    {
        var before = Cluster.Valid(Nodes + Pod("m") + Pod("n") + Pod("o"));
        var after = Cluster.Replan(Nodes + Pod("a") + Pod("m") + Pod("n") + Pod("o"), before).Cluster!;

        foreach (var name in new[] { "default/m", "default/n", "default/o" })
        {
            Assert.Equal(before.PodsByName[name].Spec.NodeName, after.PodsByName[name].Spec.NodeName);
            Assert.Equal(before.PodsByName[name].Status.PodIP, after.PodsByName[name].Status.PodIP);
        }

        var taken = before.Pods.Select(p => p.Status.PodIP).ToHashSet();
        Assert.DoesNotContain(after.PodsByName["default/a"].Status.PodIP, taken);
    }

    [Fact]
    public void Without_the_earlier_plan_the_same_addition_renumbers_pods()
    {
        // The reason the lab keeps its allocations: a fresh plan hands out addresses in name order.
        var before = Cluster.Valid(Nodes + Pod("m") + Pod("n") + Pod("o"));
        var fresh = Cluster.Valid(Nodes + Pod("a") + Pod("m") + Pod("n") + Pod("o"));

        Assert.Contains(new[] { "default/m", "default/n", "default/o" }, name => !Equals(before.PodsByName[name].Status.PodIP, fresh.PodsByName[name].Status.PodIP));
    }

    [Fact]
    public void A_deleted_pod_s_address_is_free_again_and_the_rest_stay()
    {
        var before = Cluster.Valid(Nodes + Pod("a") + Pod("b") + Pod("c"));
        var after = Cluster.Replan(Nodes + Pod("b") + Pod("c"), before).Cluster!;

        Assert.Equal(before.PodsByName["default/b"].Status.PodIP, after.PodsByName["default/b"].Status.PodIP);
        Assert.Equal(before.PodsByName["default/c"].Status.PodIP, after.PodsByName["default/c"].Status.PodIP);
        Assert.Equal(2, after.Pods.Count);
    }

    [Fact]
    public void Services_keep_their_cluster_ip_and_node_ports_when_others_are_added()
    {
        var before = Cluster.Valid(Nodes + NodePortService("web"));
        var after = Cluster.Replan(Nodes + NodePortService("api") + NodePortService("db") + NodePortService("web"), before).Cluster!;

        var had = before.ServicesByName["default/web"];
        var has = after.ServicesByName["default/web"];
        Assert.Equal(had.ClusterIP, has.ClusterIP);
        Assert.Equal(had.Ports[0].NodePort, has.Ports[0].NodePort);
    }

    [Fact]
    public void A_new_service_requesting_an_address_another_service_holds_is_refused()
    {
        var before = Cluster.Valid(Nodes + NodePortService("web"));
        var held = before.ServicesByName["default/web"];

        var errors = Cluster.Replan(Nodes + NodePortService("web") + NodePortService("api", held.ClusterIP!.ToString(), held.Ports[0].NodePort), before)
            .Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.Contains("Service default/api", StringComparison.Ordinal) && e.Contains($"spec.clusterIP: Invalid value: \"{held.ClusterIP}\": provided IP is already allocated (to Service default/web)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains($"spec.ports[0].nodePort: Invalid value: {held.Ports[0].NodePort}: provided port is already allocated (to Service default/web)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pod_whose_node_is_gone_is_scheduled_again()
    {
        var before = Cluster.Valid(Nodes + Pod("a"));
        var onlyN1 = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            """;
        var after = Cluster.Replan(onlyN1 + Pod("a"), before).Cluster!;

        Assert.Equal("n1", after.PodsByName["default/a"].Spec.NodeName);
    }

    [Fact]
    public void Load_balancer_addresses_are_kept_when_other_load_balancers_are_added()
    {
        static string Lb(string name) => "\n" + $$"""
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: {{name}}, namespace: default}
            spec: {type: LoadBalancer, ports: [{port: 80}]}
            """;
        var names = Enumerable.Range(0, 12).Select(i => $"svc{i:00}").ToList();
        var before = Cluster.Valid(Nodes + Lb("web"));
        var after = Cluster.Replan(Nodes + string.Concat(names.Select(Lb)) + Lb("web"), before).Cluster!;

        Assert.Equal(before.ServicesByName["default/web"].LoadBalancerIngress, after.ServicesByName["default/web"].LoadBalancerIngress);
        Assert.Equal(13, after.Services.Select(s => s.LoadBalancerIngress[0]).Distinct().Count());
    }
}
