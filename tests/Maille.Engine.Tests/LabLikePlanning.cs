using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Kube;
using Maille.Model;

namespace Maille.Engine.Tests;

/// <summary>
/// Plans documents the way a running lab does: each <see cref="ManifestDocument"/> converted once through one
/// <see cref="DocumentLoadCache"/>, so that an unchanged document gives the very same objects to every plan.
/// </summary>
internal sealed class LabLikePlanning
{
    private readonly DocumentLoadCache _loads = new();

    public static IReadOnlyList<ManifestDocument> Documents(string yaml) => ManifestDocument.Parse("lab.yaml", yaml);

    /// <summary>The documents planned (with the lab's allocations and slices when given); fails the test on errors.</summary>
    public ClusterState Plan(IEnumerable<ManifestDocument> documents, PriorAllocations? prior = null, EndpointSliceCache? slices = null)
    {
        var (manifests, diagnostics) = _loads.Load(documents);
        var result = ClusterPlanner.Plan(manifests, ClusterConfig.Default, diagnostics, prior: prior, sliceCache: slices);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }

    /// <summary>The objects of <paramref name="documents"/>, as the lab reads a change's documents.</summary>
    public ManifestSet Load(IEnumerable<ManifestDocument> documents) => _loads.Load(documents).Manifests;
}
