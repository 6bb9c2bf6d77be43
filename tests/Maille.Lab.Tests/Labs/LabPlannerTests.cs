using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Lab.Labs;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// A lab's plan: the user's objects (seeded random pods and Services, RandomServices, plus an Ingress so that the
// Ingress controller's objects join the cluster DNS's), and the system objects the lab adds around them.
public sealed class LabPlannerTests
{
    private const string Ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: ns0}
        spec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: s1, port: {number: 80}}}}]}}]}
        """;

    private static PlanResult Plan(string yaml, PriorAllocations prior) => LabPlanner.Plan("lab.yaml", yaml, ClusterConfig.Default, null, prior);

    [Fact]
    public void A_new_lab_places_the_users_objects_where_offline_planning_does()
    {
        var yaml = RandomServices.Yaml(7) + Ingress;

        var lab = Plan(yaml, PriorAllocations.None).Cluster!;

        var offline = Cluster.Valid(yaml);
        Assert.All(offline.Pods, p => Assert.Equal((p.Spec.NodeName, p.Status.PodIP), (lab.PodsByName[p.QualifiedName].Spec.NodeName, lab.PodsByName[p.QualifiedName].Status.PodIP)));
        Assert.All(offline.Services, s => Assert.Equal(s.ClusterIP, lab.ServicesByName[s.QualifiedName].ClusterIP));
        Assert.Contains(lab.Pods, LabPlanner.IsSystem);
        Assert.Contains(lab.Services, s => s.Namespace == "maille-system");
    }

    [Fact]
    public void A_running_lab_keeps_every_allocation_and_allocates_new_objects_around_the_system_ones()
    {
        var yaml = RandomServices.Yaml(7) + Ingress;
        var running = Plan(yaml, PriorAllocations.None).Cluster!;
        var added = string.Concat(Enumerable.Range(0, 20).Select(i => RandomServices.Service($"added-{i}", "ns1", "k0: v0", nodePort: i % 2 == 0)));

        var result = Plan(yaml + "\n---\n" + added, PriorAllocations.From(running));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var changed = result.Cluster!;

        Assert.All(running.Pods, p => Assert.Equal(p.Status.PodIP, changed.PodsByName[p.QualifiedName].Status.PodIP));
        Assert.All(running.Services, s => Assert.Equal((s.ClusterIP, s.Ports), (changed.ServicesByName[s.QualifiedName].ClusterIP, changed.ServicesByName[s.QualifiedName].Ports)));
        var clusterIPs = changed.Services.Where(s => s.ClusterIP is not null).Select(s => s.ClusterIP!).ToList();
        Assert.Equal(clusterIPs.Count, clusterIPs.Distinct().Count());
        var nodePorts = changed.Services.SelectMany(s => s.Ports).Where(p => p.NodePort is not null).Select(p => p.NodePort!.Value).ToList();
        Assert.Equal(nodePorts.Count, nodePorts.Distinct().Count());
        Assert.Equal(20, changed.Services.Count(s => s.Name.StartsWith("added-", StringComparison.Ordinal) && s.ClusterIP is not null));
    }

    [Fact]
    public void With_agents_as_processes_each_node_has_a_maille_agent_pod_on_its_own_network_probed_on_the_agents_healthz()
    {
        var (manifests, diagnostics) = Maille.Kube.ManifestLoader.Load([new Maille.Kube.ManifestSource("lab.yaml", RandomServices.Yaml(3))]);

        var inline = LabPlanner.Plan(manifests, diagnostics, ClusterConfig.Default, null, PriorAllocations.None).Cluster!;
        var process = LabPlanner.Plan(manifests, diagnostics, ClusterConfig.Default, null, PriorAllocations.None, agentDaemonSet: true).Cluster!;

        Assert.DoesNotContain(inline.Pods, Engine.Workloads.NodeAgentManifests.IsAgentPod);
        var agents = process.Pods.Where(Engine.Workloads.NodeAgentManifests.IsAgentPod).ToList();
        Assert.Equal(process.Nodes.Select(n => n.Name).Order(), agents.Select(p => p.Spec.NodeName!).Order());
        Assert.All(agents, pod =>
        {
            Assert.Equal("maille-system", pod.Namespace);
            Assert.StartsWith("maille-agent-", pod.Name, StringComparison.Ordinal);
            Assert.Equal(("DaemonSet", "maille-agent"), (pod.Owner!.Kind, pod.Owner.Name));
            Assert.True(pod.Spec.HostNetwork);
            Assert.Equal(process.NodesByName[pod.Spec.NodeName!].InternalIP, pod.Status.PodIP);
            Assert.True(LabPlanner.IsSystem(pod));
            var probe = Assert.Single(pod.Spec.Containers).ReadinessProbe!;
            Assert.Equal((ProbeKind.HttpGet, "/healthz", 10266), (probe.Kind, probe.Path, probe.Port!.Value.Number));
            Assert.True(Assert.Single(pod.Spec.Containers).Command.IsEmpty);   // the daemon runs the agent, not the pod
        });

        // The user's pods are where they were without the agents.
        Assert.All(inline.Pods, p => Assert.Equal(p.Status.PodIP, process.PodsByName[p.QualifiedName].Status.PodIP));
    }
}
