using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Model;

namespace Maille.Engine.Tests.EndpointSlices;

// The documents are loaded the way a running lab loads them (one ManifestDocument at a time, through one
// DocumentLoadCache), and every expectation is a full plan of the changed documents on top of the earlier plan's
// allocations: what the lab did before it had the incremental path.
public sealed class PodChangeUpdateTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, namespace: shop, labels: {app: web, tier: front}}
        spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, namespace: shop, labels: {app: web}}
        spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api-1, namespace: shop, labels: {app: api}}
        spec: {containers: [{name: c, image: x}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: lonely, labels: {app: web}}
        spec: {nodeSelector: {disk: none}, containers: [{name: c, image: x}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-3, labels: {app: web}}
        spec: {containers: [{name: c, image: x}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: stray, namespace: scratch, labels: {app: web}}
        spec: {containers: [{name: c, image: x}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: c, image: x}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: front, namespace: shop}
        spec: {selector: {tier: front}, publishNotReadyAddresses: true, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec: {selector: {app: api}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        """;

    private readonly LabLikePlanning _lab = new();
    private readonly IReadOnlyList<ManifestDocument> _documents = LabLikePlanning.Documents(Yaml);

    private ClusterState Plan(IEnumerable<ManifestDocument> documents, PriorAllocations? prior = null) => _lab.Plan(documents, prior);

    private static readonly string[] StandalonePods = ["shop/web-1", "shop/web-2", "shop/api-1", "default/web-3"];

    [Theory]
    [MemberData(nameof(Standalone))]
    public void Deleting_a_standalone_pod_gives_what_planning_again_gives(string pod)
    {
        var planned = Plan(_documents);
        var remaining = _documents.Where(d => !(d.Key.Kind == "Pod" && $"{d.Key.Namespace}/{d.Key.Name}" == pod)).ToList();

        var updated = PodChangeUpdate.Apply(planned, [pod], []);

        Assert.NotNull(updated);
        ClusterAssert.Same(Plan(remaining, PriorAllocations.From(planned)), updated, $"deleting {pod}");
        Assert.DoesNotContain(updated.Pods, p => p.QualifiedName == pod);
    }

    [Theory]
    [MemberData(nameof(Standalone))]
    public void Relabeling_a_standalone_pod_gives_what_planning_again_gives(string pod)
    {
        var planned = Plan(_documents);
        foreach (var labels in new Dictionary<string, string?>[] { new() { ["app"] = "api" }, new() { ["app"] = null, ["tier"] = "front" }, new() { ["extra"] = "1" } })
        {
            var changed = _documents.Select(d => d.Key.Kind == "Pod" && $"{d.Key.Namespace}/{d.Key.Name}" == pod ? d.WithLabels(labels) : d).ToList();
            var newPod = _lab.Load(changed.Where(d => d.Key.Kind == "Pod" && $"{d.Key.Namespace}/{d.Key.Name}" == pod)).Pods.Single();

            var updated = PodChangeUpdate.Apply(planned, [], [newPod]);

            Assert.NotNull(updated);
            ClusterAssert.Same(Plan(changed, PriorAllocations.From(planned)), updated, $"labels {string.Join(",", labels)} on {pod}");
        }
    }

    [Fact]
    public void Services_that_never_selected_the_pod_keep_their_very_slices()
    {
        var planned = Plan(_documents);

        var updated = PodChangeUpdate.Apply(planned, ["shop/api-1"], [])!;

        foreach (var service in planned.Services)
        {
            var selected = service.Namespace == "shop" && service.Selector is { } selector && selector.Get("app") == "api";
            Assert.Equal(!selected, ReferenceEquals(planned.SlicesFor(service), updated.SlicesFor(service)));
        }
    }

    [Fact]
    public void A_pod_made_by_a_workload_or_the_last_of_an_undeclared_namespace_or_an_unknown_pod_or_a_warned_pod_relabeled_needs_a_full_plan()
    {
        var planned = Plan(_documents);
        var generated = planned.Pods.First(p => p.Owner is not null).QualifiedName;

        Assert.Null(PodChangeUpdate.Apply(planned, [generated], []));
        Assert.Null(PodChangeUpdate.Apply(planned, ["scratch/stray"], []));
        Assert.Null(PodChangeUpdate.Apply(planned, ["shop/nobody"], []));
        Assert.Null(PodChangeUpdate.Apply(planned, [], [planned.PodsByName[generated]]));
        Assert.Null(PodChangeUpdate.Apply(planned, [], [planned.PodsByName["default/lonely"]]));
    }

    [Fact]
    public void The_warning_about_a_deleted_pod_goes_with_it()
    {
        var planned = Plan(_documents);
        Assert.Contains(planned.Warnings, w => w.Object == new ObjectRef("Pod", "default", "lonely"));
        var remaining = _documents.Where(d => d.Key.Name != "lonely").ToList();

        var updated = PodChangeUpdate.Apply(planned, ["default/lonely"], [])!;

        ClusterAssert.Same(Plan(remaining, PriorAllocations.From(planned)), updated, "deleting default/lonely");
        Assert.DoesNotContain(updated.Warnings, w => w.Object == new ObjectRef("Pod", "default", "lonely"));
    }

    public static TheoryData<string> Standalone() => [.. StandalonePods];
}
