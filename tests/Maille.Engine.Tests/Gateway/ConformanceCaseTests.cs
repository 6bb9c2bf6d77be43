using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Engine.Tests.Gateway;

/// <summary>
/// The shared table's second step and its observedGeneration check, which the two-step conformance cases rely on: the
/// world after a change counts generations as a lab's API does, and a stale condition is named.
/// </summary>
public sealed class ConformanceCaseTests
{
    private static readonly ConformanceCase Bump = HttpCoreConformance.HTTPRouteObservedGenerationBump;

    [Fact]
    public void After_a_change_of_spec_the_changed_object_is_at_generation_2_and_the_others_stay_at_1()
    {
        var after = Bump.ChangedWorld().Cluster();

        var route = Assert.Single(after.HttpRoutes);
        Assert.Equal(2, route.Meta.Generation);
        Assert.Equal("infra-backend-v2", route.Rules[0].BackendRefs[0].Name);
        Assert.All(after.Gateways, g => Assert.Equal(1, g.Meta.Generation));
    }

    [Fact]
    public void A_change_that_leaves_the_spec_as_it_was_keeps_generation_1()
    {
        var unchanged = Bump with { Change = Bump.Objects };

        Assert.Equal(1, Assert.Single(unchanged.ChangedWorld().Cluster().HttpRoutes).Meta.Generation);
    }

    [Fact]
    public void Latest_names_each_condition_observed_at_an_older_generation()
    {
        var route = JsonNode.Parse("""
            {"metadata": {"generation": 2}, "status": {"parents": [{"conditions": [
              {"type": "Accepted", "observedGeneration": 2}, {"type": "ResolvedRefs", "observedGeneration": 1}]}]}}
            """)!;

        var latest = ExpectedStatus.Latest("HTTPRoute", "ns/r", 2);

        Assert.False(latest.Holds(route));
        Assert.Equal("2, stale: ResolvedRefs at 1", latest.Actual(route));
    }
}
