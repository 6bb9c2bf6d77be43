using Maille.Engine.ServiceProxy;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.Services;

/// <summary>
/// Golden rulesets: each folder under <c>testassets/nftables</c> holds <c>input.yaml</c> (planned on two nodes) and
/// one <c>NODE.nft</c> per node with the exact full-sync transaction that node applies. Run with
/// <c>MAILLE_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change, and read the diff.
/// </summary>
public sealed class ServiceRulesetGoldenTests
{
    public static TheoryData<string> Cases() => [.. Goldens.ServiceTables.Files("*.nft")];

    /// <summary>The full-sync transaction of <paramref name="node"/> for the case folder's input.</summary>
    internal static string Render(string caseFolder, string node)
    {
        var yaml = Goldens.ServiceTables.Read(Path.Combine(caseFolder, "input.yaml"));
        var cluster = Cluster.Valid(yaml, Goldens.TwoNodes);
        var script = new NftScript(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table);
        script.WriteTable(ServiceRulesetBuilder.Build(ServiceProxyPlanner.Plan(cluster, node)));
        return script.ToString();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_rendered_ruleset_matches_the_golden_file(string goldenFile)
    {
        var actual = Render(Path.GetDirectoryName(goldenFile)!, Path.GetFileNameWithoutExtension(goldenFile));

        Goldens.ServiceTables.AssertMatches(goldenFile, actual);
    }

    [Fact]
    public void There_are_golden_rulesets()
    {
        Assert.NotEmpty(Cases());
    }
}
