using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.EndpointSlices;

// Seeded random pods and Services (RandomServices): overlapping selectors, unschedulable pods, named target ports.
public sealed class EndpointSliceCacheTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_label_index_finds_exactly_the_endpoints_a_scan_of_the_namespace_finds_in_name_order(int seed)
    {
        var cluster = Cluster.Valid(RandomServices.Yaml(seed));
        var candidates = new EndpointCandidates(cluster.Pods.Reverse());

        foreach (var service in cluster.Services)
        {
            var scanned = cluster.Pods.Where(p => EndpointSliceBuilder.IsEndpointOf(service, p))
                .OrderBy(p => p.Name, StringComparer.Ordinal);
            Assert.Equal(scanned.Select(p => p.QualifiedName), candidates.Of(service).Select(p => p.QualifiedName));
        }

        Assert.Contains(cluster.Services, s => candidates.Of(s).Count > 1);
        Assert.Contains(cluster.Pods, p => p.Status.PodIP is null);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_plan_with_a_warm_cache_equals_one_without_and_gives_unchanged_Services_their_very_slices(int seed)
    {
        var (manifests, diagnostics) = Kube.ManifestLoader.Load([new Kube.ManifestSource("random.yaml", RandomServices.Yaml(seed))]);
        var cache = new EndpointSliceCache();
        var first = ClusterPlanner.Plan(manifests, ClusterConfig.Default, diagnostics, sliceCache: cache).Cluster!;
        var flipped = first.Pods.First(p => p.Status.PodIP is not null && first.Services.Any(s => EndpointSliceBuilder.IsEndpointOf(s, p)));
        var readiness = new Dictionary<string, bool> { [flipped.QualifiedName] = false };

        var cached = ClusterPlanner.Plan(manifests, ClusterConfig.Default, diagnostics, readiness, PriorAllocations.From(first), cache).Cluster!;
        var fresh = ClusterPlanner.Plan(manifests, ClusterConfig.Default, diagnostics, readiness, PriorAllocations.From(first)).Cluster!;

        ClusterAssert.Same(fresh, cached, $"{flipped.QualifiedName} turning unready");
        foreach (var service in cached.Services.Where(s => s.Selector is not null))
        {
            var selects = EndpointSliceBuilder.IsEndpointOf(service, flipped);
            Assert.Equal(!selects, cached.SlicesFor(service).SequenceEqual(first.SlicesFor(service), ReferenceEqualityComparer.Instance));
        }
    }
}
