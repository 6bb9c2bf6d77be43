namespace Maille.Engine.Tests.EndpointSlices;

/// <summary>What an incremental update must match in a full plan: pods, Services, slices (by Service too) and warnings.</summary>
internal static class ClusterAssert
{
    public static void Same(ClusterState expected, ClusterState actual, string because)
    {
        Assert.True(expected.Pods.SequenceEqual(actual.Pods), $"pods differ after {because}");
        Assert.True(expected.Services.SequenceEqual(actual.Services), $"Services differ after {because}");
        Assert.Equal(expected.ServicesByName.Keys.Order(StringComparer.Ordinal), actual.ServicesByName.Keys.Order(StringComparer.Ordinal));
        Assert.True(expected.EndpointSlices.SequenceEqual(actual.EndpointSlices), $"slices differ after {because}");
        Assert.Equal(expected.SlicesByService.Keys.Order(StringComparer.Ordinal), actual.SlicesByService.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected.SlicesByService, s => Assert.True(s.Value.SequenceEqual(actual.SlicesByService[s.Key]), $"{s.Key} differs after {because}"));
        Assert.Equal(expected.PodsByName.Keys.Order(StringComparer.Ordinal), actual.PodsByName.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected.Pods, p => Assert.Equal(p, actual.PodsByName[p.QualifiedName]));
        Assert.Equal(expected.Warnings.Select(w => w.ToString()), actual.Warnings.Select(w => w.ToString()));
    }
}
