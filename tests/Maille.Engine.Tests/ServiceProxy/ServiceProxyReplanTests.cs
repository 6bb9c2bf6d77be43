using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Engine.ServiceProxy;
using Maille.Kube;
using Maille.TestKit;

namespace Maille.Engine.Tests.ServiceProxy;

// A running lab plans again with its slice cache after each change; each node's proxy then plans from its previous
// plan. Seeded random Services (RandomServices) with one removed, one changed, and two added around the others.
public sealed class ServiceProxyReplanTests
{
    private readonly LabLikePlanning _lab = new();

    private ClusterState Plan(IEnumerable<ManifestDocument> documents, EndpointSliceCache cache, PriorAllocations? prior) => _lab.Plan(documents, prior, cache);

    /// <summary>As a lab's apply and delete do: s3 gone, s5 replaced (port 81), two new Services; the rest the same documents.</summary>
    private static List<ManifestDocument> Changed(IReadOnlyList<ManifestDocument> documents)
    {
        var s5 = documents.Single(d => d.Key.Name == "s5");
        var replaced = ManifestDocument.Parse("change.yaml", s5.ToYaml().Replace("port: 80", "port: 81", StringComparison.Ordinal)).Single();
        var added = ManifestDocument.Parse("added.yaml", RandomServices.Service("aa-new", "ns0", "k0: v1") + RandomServices.Service("zz-new", "ns2", "k1: v0", nodePort: true));
        return [.. documents.Where(d => d.Key.Name is not ("s3" or "s5")), replaced, .. added];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_plan_made_from_the_previous_one_after_Services_were_added_changed_and_removed_equals_a_full_plan(int seed)
    {
        var cache = new EndpointSliceCache();
        var documents = LabLikePlanning.Documents(RandomServices.Yaml(seed));
        var before = Plan(documents, cache, null);
        var after = Plan(Changed(documents), cache, PriorAllocations.From(before));

        foreach (var node in before.Nodes.Select(n => n.Name))
        {
            var previous = ServiceProxyPlanner.Plan(before, node);

            var incremental = ServiceProxyPlanner.Plan(after, node, (before, previous));

            var full = ServiceProxyPlanner.Plan(after, node);
            Assert.Equal(full, incremental);
            Assert.Contains(incremental.Ports, p => p.Id.Service == "aa-new");
            Assert.DoesNotContain(incremental.Ports, p => p.Id.Service == "s3");
            var untouched = incremental.Ports.Where(p => p.Id.Service is not ("s5" or "aa-new" or "zz-new")).ToList();
            Assert.NotEmpty(untouched);
            Assert.All(untouched, p => Assert.Same(previous.Ports.Single(q => q.Id == p.Id), p));
        }
    }

    [Fact]
    public void Nothing_changed_gives_the_previous_plan_itself()
    {
        var cache = new EndpointSliceCache();
        var documents = LabLikePlanning.Documents(RandomServices.Yaml(4));
        var before = Plan(documents, cache, null);
        var again = Plan(documents, cache, PriorAllocations.From(before));
        var node = before.Nodes[0].Name;
        var previous = ServiceProxyPlanner.Plan(before, node);

        Assert.Same(previous, ServiceProxyPlanner.Plan(again, node, (before, previous)));
    }
}
