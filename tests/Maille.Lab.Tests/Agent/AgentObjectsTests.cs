using k8s;
using k8s.Models;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.ServiceProxy;
using Maille.Kube;
using Maille.Lab.Agent;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Agent;

// What `maille agent` builds from the objects its watches deliver: the same node plans as the engine's plan of the
// same cluster, and a change that costs only what it touches.
public sealed class AgentObjectsTests
{
    // LabServiceTests' cluster (web-1, web-2 behind web and web-np; a client in namespace other) and a policy that
    // admits namespace other to web.
    private const string Manifests = Labs.LabServiceTests.Manifests + """

        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: from-other}
        spec:
          podSelector: {matchLabels: {app: web}}
          ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}], ports: [{port: http}]}]
        """;

    [Fact]
    public void The_cluster_assembled_from_the_api_objects_plans_every_node_as_the_engine_plans_the_same_cluster()
    {
        var planned = Cluster.Valid(Manifests);
        var objects = new AgentObjects();
        Deliver(objects, planned);

        var assembled = objects.Build(planned.Config, withLoadBalancing: false);

        Assert.Empty(objects.Rejected);
        foreach (var node in planned.Nodes.Select(n => n.Name))
        {
            Assert.Equal(ServiceProxyPlanner.Plan(planned, node), ServiceProxyPlanner.Plan(assembled, node));
            Assert.Equal(
                PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(planned, node)),
                PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(assembled, node)));
        }
    }

    [Fact]
    public void An_endpoint_slice_update_replans_only_its_service_and_a_deleted_object_leaves_the_cluster()
    {
        var planned = Cluster.Valid(Manifests);
        var objects = new AgentObjects();
        Deliver(objects, planned);
        var first = objects.Build(planned.Config, withLoadBalancing: false);
        var firstPlan = ServiceProxyPlanner.Plan(first, "node-3");

        // web's slice with its second endpoint not ready, as the API would send it.
        var slice = planned.SlicesFor(planned.ServicesByName["default/web"]).Single();
        var unready = slice with { Endpoints = new([slice.Endpoints[0], slice.Endpoints[1] with { Conditions = slice.Endpoints[1].Conditions with { Ready = false } }]) };
        objects.Changed("EndpointSlice", slice.Meta.QualifiedName, Json(KubeObjectWriter.Write(unready), "discovery.k8s.io/v1", "EndpointSlice"));
        var second = objects.Build(planned.Config, withLoadBalancing: false);
        var secondPlan = ServiceProxyPlanner.Plan(second, "node-3", (first, firstPlan));

        Assert.Same(first.ServicesByName["default/web-np"], second.ServicesByName["default/web-np"]);
        Assert.Same(first.SlicesFor(first.ServicesByName["default/web-np"]).Single(), second.SlicesFor(second.ServicesByName["default/web-np"]).Single());
        Assert.Equal(ServiceProxyPlanner.Plan(second, "node-3"), secondPlan);
        Assert.Same(firstPlan.Ports.Single(p => p.Id.Service == "web-np"), secondPlan.Ports.Single(p => p.Id.Service == "web-np"));
        Assert.NotEqual(firstPlan.Ports.Single(p => p.Id.Service == "web"), secondPlan.Ports.Single(p => p.Id.Service == "web"));

        objects.Changed("Service", "default/web-np", null);
        var third = objects.Build(planned.Config, withLoadBalancing: false);
        Assert.False(third.ServicesByName.ContainsKey("default/web-np"));
        Assert.Equal(Delivered(planned) + 2, objects.Received);
    }

    [Fact]
    public void An_object_the_loader_refuses_is_left_out_and_named()
    {
        var objects = new AgentObjects();
        objects.Changed("Service", "default/bad", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"bad","namespace":"default"},"spec":{"type":"Nonsense","ports":[{"port":80}]}}""");

        var cluster = objects.Build(ClusterConfig.Default, withLoadBalancing: false);

        Assert.Empty(cluster.Services);
        var (name, error) = Assert.Single(objects.Rejected);
        Assert.Equal("Service default/bad", name);
        Assert.Contains("spec.type: Unsupported value: \"Nonsense\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1alpha1_AdminNetworkPolicy_beside_a_ClusterNetworkPolicy_is_enforced_and_removed_on_its_own()
    {
        var planned = Cluster.Valid(Manifests + """

            ---
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: guard}
            spec:
              tier: Admin
              priority: 20
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: default}}}
              ingress: [{name: deny-other, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}]}]
            ---
            apiVersion: policy.networking.k8s.io/v1alpha1
            kind: AdminNetworkPolicy
            metadata: {name: old-guard}
            spec:
              priority: 10
              subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: default}}}
              ingress: [{name: allow-other-http, action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}], ports: [{namedPort: http}]}]
            """);
        var objects = new AgentObjects();
        Deliver(objects, planned);

        var assembled = objects.Build(planned.Config, withLoadBalancing: false);

        Assert.Empty(objects.Rejected);
        Assert.Equal(2, assembled.ClusterNetworkPolicies.Count);
        Assert.Equal(
            PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(planned, "node-1")),
            PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(assembled, "node-1")));

        objects.Changed(PolicyApi.AdminNetworkPolicyKind, "old-guard", null);
        var remaining = Assert.Single(objects.Build(planned.Config, withLoadBalancing: false).ClusterNetworkPolicies);
        Assert.Equal((PolicyApi.ClusterNetworkPolicyKind, 20), (remaining.SourceKind, remaining.Priority));
    }

    [Theory]
    [InlineData(null, "service-proxy,network-policy,l2-announcer")]
    [InlineData("service-proxy", "service-proxy")]
    [InlineData(" network-policy , service-proxy ", "network-policy,service-proxy")]
    public void Parts_are_named_on_the_command_line(string? list, string expected)
    {
        var (parts, error) = AgentParts.Parse(list);

        Assert.Null(error);
        Assert.Equal(expected.Split(',').Order(StringComparer.Ordinal), parts!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_part_is_refused_by_name_and_each_part_watches_only_what_its_real_component_may_see()
    {
        Assert.Equal("--parts: unknown part \"kube-proxy\" (the parts are service-proxy, network-policy, l2-announcer)", AgentParts.Parse("service-proxy,kube-proxy").Error);
        Assert.Equal(["EndpointSlice", "Node", "Service"], AgentParts.Kinds(new HashSet<string> { AgentParts.ServiceProxy }).Order(StringComparer.Ordinal));
        Assert.Equal(["AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ClusterNetworkPolicy", "Namespace", "NetworkPolicy", "Node", "Pod"], AgentParts.Kinds(new HashSet<string> { AgentParts.NetworkPolicy }).Order(StringComparer.Ordinal));
        Assert.Equal(["EndpointSlice", "IPAddressPool", "L2Advertisement", "Node", "Service"], AgentParts.Kinds(new HashSet<string> { AgentParts.L2Announcer }).Order(StringComparer.Ordinal));
    }

    private static int Delivered(ClusterState cluster) => cluster.Nodes.Count + cluster.Namespaces.Count + cluster.Pods.Count + cluster.Services.Count + cluster.EndpointSlices.Count + cluster.NetworkPolicies.Count;

    /// <summary>Every object of <paramref name="cluster"/> as the lab's API serves it, delivered as a watch would.</summary>
    private static void Deliver(AgentObjects objects, ClusterState cluster)
    {
        foreach (var node in cluster.Nodes)
        {
            objects.Changed("Node", node.Name, Json(KubeObjectWriter.Write(node), "v1", "Node"));
        }

        foreach (var ns in cluster.Namespaces)
        {
            objects.Changed("Namespace", ns.Name, Json(KubeObjectWriter.Write(ns), "v1", "Namespace"));
        }

        foreach (var pod in cluster.Pods)
        {
            objects.Changed("Pod", pod.QualifiedName, Json(KubeObjectWriter.Write(pod), "v1", "Pod"));
        }

        foreach (var service in cluster.Services)
        {
            objects.Changed("Service", service.QualifiedName, Json(KubeObjectWriter.Write(service), "v1", "Service"));
        }

        foreach (var slice in cluster.EndpointSlices)
        {
            objects.Changed("EndpointSlice", slice.Meta.QualifiedName, Json(KubeObjectWriter.Write(slice), "discovery.k8s.io/v1", "EndpointSlice"));
        }

        foreach (var policy in cluster.NetworkPolicies)
        {
            objects.Changed("NetworkPolicy", policy.QualifiedName, Json(KubeObjectWriter.Write(policy), "networking.k8s.io/v1", "NetworkPolicy"));
        }

        foreach (var policy in cluster.ClusterNetworkPolicies)
        {
            objects.Changed(policy.SourceKind, policy.Name, System.Text.Json.JsonSerializer.Serialize(ClusterNetworkPolicyObjectWriter.Write(policy)));
        }
    }

    private static string Json<T>(T item, string apiVersion, string kind)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        item.ApiVersion = apiVersion;
        item.Kind = kind;
        return KubernetesJson.Serialize(item);
    }
}
