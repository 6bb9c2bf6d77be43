using System.Net;
using System.Text.RegularExpressions;
using Maille.TestKit;

namespace Maille.Engine.Tests.Workloads;

// IP plan: default nodes node-1..3 at 198.18.0.11-13, pod CIDRs 198.19.1-3.0/24; pods start at .2.
public sealed partial class WorkloadPlanningTests
{
    private static string Deployment(string name, int replicas, string extraSpec = "") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}, namespace: default}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              {{{extraSpec}}}
              containers: [{name: c, ports: [{containerPort: 80}]}]
        """;

    [Fact]
    public void Deployment_pods_are_named_like_kubernetes_and_carry_the_pod_template_hash()
    {
        var pods = Cluster.Valid(Deployment("web", 3)).Pods;
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Matches(DeploymentPodName(), p.Name));
        var hash = pods[0].Name.Split('-')[1];
        Assert.All(pods, p => Assert.Equal(hash, p.Labels.Get("pod-template-hash")));
        Assert.All(pods, p => Assert.Equal("ReplicaSet", p.Owner!.Kind));
        Assert.Equal(3, pods.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void Replicas_spread_across_nodes()
    {
        var pods = Cluster.Valid(Deployment("web", 3)).Pods;
        Assert.Equal(["node-1", "node-2", "node-3"], pods.Select(p => p.Spec.NodeName).Order());
    }

    [Fact]
    public void Statefulset_pods_have_ordinal_names_and_hostnames()
    {
        var cluster = Cluster.Valid("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              replicas: 2
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: c}]}
            """);
        Assert.Equal(["db-0", "db-1"], cluster.Pods.Select(p => p.Name));
        Assert.Equal("db-1", cluster.PodsByName["default/db-1"].Spec.Hostname);
        Assert.Equal("db", cluster.PodsByName["default/db-1"].Spec.Subdomain);
        Assert.Equal("db-0", cluster.PodsByName["default/db-0"].Labels.Get("statefulset.kubernetes.io/pod-name"));
    }

    [Fact]
    public void Daemonset_runs_one_pod_on_each_node_its_selector_allows()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Node
            metadata: {name: a, labels: {disk: ssd}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: b}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: c, labels: {disk: ssd}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  nodeSelector: {disk: ssd}
                  containers: [{name: c}]
            """);
        Assert.Equal(["a", "c"], cluster.Pods.Select(p => p.Spec.NodeName!).Order());
    }

    [Fact]
    public void Node_name_and_node_selector_decide_placement()
    {
        var cluster = Cluster.Valid(Deployment("pinned", 2, "nodeName: node-3") + "\n---\n" + Deployment("picky", 2, "nodeSelector: {kubernetes.io/hostname: node-2}"));
        Assert.All(cluster.Pods.Where(p => p.Labels.Get("app") == "pinned"), p => Assert.Equal("node-3", p.Spec.NodeName));
        Assert.All(cluster.Pods.Where(p => p.Labels.Get("app") == "picky"), p => Assert.Equal("node-2", p.Spec.NodeName));
    }

    [Fact]
    public void A_pod_no_node_can_take_stays_pending_with_a_warning()
    {
        var result = Cluster.Plan(Deployment("nowhere", 1, "nodeSelector: {gpu: \"true\"}"));
        var pod = Assert.Single(result.Cluster!.Pods);
        Assert.Null(pod.Spec.NodeName);
        Assert.Null(pod.Status.PodIP);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Contains(result.Warnings, w => w.Detail.Contains("no schedulable node matches gpu=true", StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_ips_come_from_the_node_pod_cidr_and_dump_fields_are_honoured()
    {
        var cluster = Cluster.Valid("""
            apiVersion: v1
            kind: Pod
            metadata: {name: fresh}
            spec: {nodeName: node-2, containers: [{name: c}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: dumped}
            spec: {nodeName: node-2, containers: [{name: c}]}
            status:
              podIP: 198.19.2.2
              conditions: [{type: Ready, status: "False"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: host}
            spec: {nodeName: node-1, hostNetwork: true, containers: [{name: c}]}
            """);
        Assert.Equal(IPAddress.Parse("198.19.2.2"), cluster.PodsByName["default/dumped"].Status.PodIP);
        Assert.False(cluster.PodsByName["default/dumped"].Status.Ready);
        Assert.Equal(IPAddress.Parse("198.19.2.3"), cluster.PodsByName["default/fresh"].Status.PodIP);
        Assert.Equal(IPAddress.Parse("198.18.0.11"), cluster.PodsByName["default/host"].Status.PodIP);
        Assert.Equal(IPAddress.Parse("198.18.0.12"), cluster.PodsByName["default/fresh"].Status.HostIP);
    }

    [Fact]
    public void Planning_is_deterministic()
    {
        var yaml = Deployment("a", 4) + "\n---\n" + Deployment("b", 2);
        var first = Cluster.Valid(yaml).Pods.Select(p => $"{p.QualifiedName} {p.Spec.NodeName} {p.Status.PodIP}");
        var second = Cluster.Valid(yaml).Pods.Select(p => $"{p.QualifiedName} {p.Spec.NodeName} {p.Status.PodIP}");
        Assert.Equal(first, second);
    }

    [GeneratedRegex("^web-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$")]
    private static partial Regex DeploymentPodName();
}
