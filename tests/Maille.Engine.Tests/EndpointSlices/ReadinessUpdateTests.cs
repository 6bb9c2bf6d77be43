using Maille.Engine.EndpointSlices;
using Maille.Engine.ServiceProxy;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.EndpointSlices;

// The shop example (three namespaces, Deployments and a StatefulSet) plus a Service that publishes not-ready
// addresses and one whose extra slice is managed by someone else.
public sealed class ReadinessUpdateTests
{
    private const string Extra = """
        apiVersion: v1
        kind: Service
        metadata: {name: api-peers, namespace: shop}
        spec:
          selector: {app: api}
          publishNotReadyAddresses: true
          ports: [{port: 8080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api-mixed, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{port: 80}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: api-mixed-external
          namespace: shop
          labels: {kubernetes.io/service-name: api-mixed, endpointslice.kubernetes.io/managed-by: someone-else}
        addressType: IPv4
        ports: [{port: 80}]
        endpoints: [{addresses: [198.18.10.10]}]
        """;

    private static readonly (ManifestSet Manifests, IReadOnlyList<Diagnostic> Diagnostics) Input = ManifestLoader.Load(
        [.. Directory.GetFiles(Path.Combine(Cluster.RepositoryRoot, "examples", "shop"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => new ManifestSource(f, File.ReadAllText(f))), new ManifestSource("extra.yaml", Extra)]);

    private static ClusterState PlanWith(IReadOnlyDictionary<string, bool> readiness)
    {
        var result = ClusterPlanner.Plan(Input.Manifests, ClusterConfig.Default, Input.Diagnostics, readiness);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }

    /// <summary>Every pod observed ready, and the cluster planned with that.</summary>
    private static (Dictionary<string, bool> Before, ClusterState Planned) PlannedAllReady()
    {
        var before = PlanWith(new Dictionary<string, bool>()).Pods.ToDictionary(p => p.QualifiedName, _ => true, StringComparer.Ordinal);
        return (before, PlanWith(before));
    }

    [Fact]
    public void Each_pod_turning_unready_and_back_gives_what_planning_again_gives()
    {
        var (before, planned) = PlannedAllReady();
        foreach (var pod in planned.Pods)
        {
            var after = new Dictionary<string, bool>(before) { [pod.QualifiedName] = false };

            var updated = ReadinessUpdate.Apply(planned, before, after);
            var back = ReadinessUpdate.Apply(updated!, after, before);

            ClusterAssert.Same(PlanWith(after), updated!, pod.QualifiedName);
            ClusterAssert.Same(planned, back!, pod.QualifiedName);
        }
    }

    [Fact]
    public void Several_pods_at_once_and_a_not_ready_pod_kept_by_publishNotReadyAddresses()
    {
        var (before, planned) = PlannedAllReady();
        var api = planned.Pods.Where(p => p.Labels.Get("app") == "api").Select(p => p.QualifiedName).ToList();
        Assert.True(api.Count >= 2);
        var after = new Dictionary<string, bool>(before);
        api.ForEach(p => after[p] = false);

        var updated = ReadinessUpdate.Apply(planned, before, after)!;

        ClusterAssert.Same(PlanWith(after), updated, "every api pod");
        var peers = updated.SlicesFor(updated.ServicesByName["shop/api-peers"]).SelectMany(s => s.Endpoints).ToList();
        Assert.All(peers, e => Assert.True(e.Conditions.Ready && !e.Conditions.Serving));
        Assert.Contains(updated.SlicesFor(updated.ServicesByName["shop/api-mixed"]), s => s.Meta.Name == "api-mixed-external");
    }

    [Fact]
    public void Services_that_do_not_select_a_changed_pod_keep_their_very_slices()
    {
        var (before, planned) = PlannedAllReady();
        var pod = planned.Pods.First(p => p.Labels.Get("app") == "api");
        var after = new Dictionary<string, bool>(before) { [pod.QualifiedName] = false };

        var updated = ReadinessUpdate.Apply(planned, before, after)!;

        foreach (var service in planned.Services)
        {
            var selects = service.Selector is { } selector && service.Namespace == pod.Namespace && EndpointSliceBuilder.Selects(selector, pod.Labels);
            Assert.Equal(!selects, ReferenceEquals(planned.SlicesFor(service), updated.SlicesFor(service)));
        }

        Assert.Same(planned.ServicesByName, updated.ServicesByName);
    }

    [Fact]
    public void A_nodes_service_plan_made_from_the_previous_one_equals_a_full_plan_and_reuses_untouched_ports()
    {
        var (before, planned) = PlannedAllReady();
        var pod = planned.Pods.First(p => p.Labels.Get("app") == "api");
        var after = new Dictionary<string, bool>(before) { [pod.QualifiedName] = false };
        var updated = ReadinessUpdate.Apply(planned, before, after)!;

        foreach (var node in planned.Nodes.Select(n => n.Name))
        {
            var previous = ServiceProxyPlanner.Plan(planned, node);

            var incremental = ServiceProxyPlanner.Plan(updated, node, (planned, previous));

            Assert.Equal(ServiceProxyPlanner.Plan(updated, node), incremental);
            Assert.NotEqual(previous, incremental);
            var untouched = incremental.Ports.Where(p => p.Id.Namespace != pod.Namespace || !p.Id.Service.StartsWith("api", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(untouched);
            Assert.All(untouched, p => Assert.Same(previous.Ports.Single(q => q.Id == p.Id), p));
        }
    }

    [Fact]
    public void Nothing_changed_is_the_same_state_and_a_pod_losing_its_observed_readiness_asks_for_a_full_plan()
    {
        var (before, planned) = PlannedAllReady();
        var fewer = new Dictionary<string, bool>(before);
        fewer.Remove(planned.Pods[0].QualifiedName);

        Assert.Same(planned, ReadinessUpdate.Apply(planned, before, new Dictionary<string, bool>(before)));
        Assert.Null(ReadinessUpdate.Apply(planned, before, fewer));
    }
}
