using static Maille.Engine.Tests.Ingress.IngressYaml;

namespace Maille.Engine.Tests.Ingress;

/// <summary>Rules of one host from several Ingresses: merged, with a deterministic winner for the same path.</summary>
public sealed class IngressMergeTests
{
    private static string Created(string yaml, string name, string timestamp) => yaml.Replace(
        $"metadata: {{name: {name}, namespace: app}}",
        $"metadata: {{name: {name}, namespace: app, creationTimestamp: \"{timestamp}\"}}",
        StringComparison.Ordinal);

    [Fact]
    public void Paths_of_one_host_from_several_Ingresses_are_merged_and_the_longest_wins_across_them()
    {
        var table = Table(Paths("site", "shop.example", "Prefix /") + Paths("api", "shop.example", "Prefix /api", "Exact /api/health"));
        Assert.Equal("app/site", table.Route("shop.example", "/cart").Route!.IngressName);
        Assert.Equal("app/api", table.Route("shop.example", "/api/items").Route!.IngressName);
        Assert.Equal("Exact /api/health", Matched(table, "shop.example", "/api/health"));
    }

    [Fact]
    public void The_same_host_path_and_type_in_two_Ingresses_goes_to_the_older_one()
    {
        var yaml = Created(Paths("zeta", "shop.example", "Prefix /api"), "zeta", "2024-01-01T00:00:00Z")
            + Created(Paths("alpha", "shop.example", "Prefix /api"), "alpha", "2025-01-01T00:00:00Z");
        var table = Table(yaml);
        Assert.Equal("app/zeta", table.Route("shop.example", "/api").Route!.IngressName);
        var problem = Assert.Single(table.Problems);
        Assert.Equal("Ingress app/alpha", problem.Object);
        Assert.Contains("Ingress app/zeta rule 0 path 0 (Prefix /api on shop.example) has the same host, path and path type", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_creation_times_the_tie_goes_by_namespace_and_name_and_a_dated_Ingress_comes_first()
    {
        var undated = Table(Paths("zeta", "shop.example", "Prefix /api") + Paths("alpha", "shop.example", "Prefix /api"));
        Assert.Equal("app/alpha", undated.Route("shop.example", "/api").Route!.IngressName);

        var oneDated = Table(Created(Paths("zeta", "shop.example", "Prefix /api"), "zeta", "2024-01-01T00:00:00Z") + Paths("alpha", "shop.example", "Prefix /api"));
        Assert.Equal("app/zeta", oneDated.Route("shop.example", "/api").Route!.IngressName);
    }

    [Fact]
    public void A_Prefix_and_an_Exact_path_that_are_written_alike_do_not_tie()
    {
        var table = Table(Paths("prefix", "shop.example", "Prefix /api") + Paths("exact", "shop.example", "Exact /api"));
        Assert.Equal("app/exact", table.Route("shop.example", "/api").Route!.IngressName);
        Assert.Equal("app/prefix", table.Route("shop.example", "/api/x").Route!.IngressName);
        Assert.Empty(table.Problems);
    }

    [Fact]
    public void The_answer_does_not_depend_on_the_order_of_the_input()
    {
        var first = Table(Paths("b", "shop.example", "Prefix /") + Paths("a", "shop.example", "Prefix /"));
        var second = Table(Paths("a", "shop.example", "Prefix /") + Paths("b", "shop.example", "Prefix /"));
        Assert.Equal(first.Route("shop.example", "/").Route!.IngressName, second.Route("shop.example", "/").Route!.IngressName);
    }
}
