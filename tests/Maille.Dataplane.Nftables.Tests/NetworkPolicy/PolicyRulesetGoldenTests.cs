using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>
/// Golden policy tables. Each folder under <c>testassets/netpol</c> holds <c>input.yaml</c> (policies and extra
/// objects, planned together with examples/netpol-playground/pods.yaml on three nodes) and one <c>NODE.nft</c> per
/// node: the exact full-sync transaction that node applies, with chains folded as the enforcer does by default; in the
/// <c>folded</c> folder every chain is folded; the <c>logged</c> folder holds the <c>every-rule</c> case's node-2 with its
/// denials logged for <c>maille observe</c> (<see cref="PolicyDenialLog"/>), as the lab renders it; the <c>tiered</c> folder holds ClusterNetworkPolicy tiers
/// around NetworkPolicy, and <c>tiered-logged</c> its node-1 with denials logged, the tiers' Deny rules included. <c>testassets/netpol/playground</c> holds node-1's table for each
/// playground scenario. Run with <c>MAILLE_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change,
/// and read the diff.
/// </summary>
public sealed class PolicyRulesetGoldenTests
{
    private static GoldenRoot Tables => Goldens.PolicyTables;

    private static string Scenarios => Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios");

    public static TheoryData<string> Cases() => [.. Tables.Files("*.nft")];

    /// <summary>The full-sync transaction of the golden file's node: <c>CASE/NODE.nft</c> or <c>playground/SCENARIO.nft</c> (node-1).</summary>
    internal static string Render(string goldenFile)
    {
        var folder = Path.GetDirectoryName(goldenFile)!;
        var name = Path.GetFileNameWithoutExtension(goldenFile);
        var (policies, node) = folder == "playground"
            ? (File.ReadAllText(Path.Combine(Scenarios, name + ".yaml")), "node-1")
            : (Tables.Read(Path.Combine(folder switch { "logged" => "every-rule", "tiered-logged" => "tiered", _ => folder }, "input.yaml")), name);
        var result = Cluster.Plan([new ManifestSource("pods.yaml", TracedCluster.PlaygroundPods), new ManifestSource("input.yaml", policies)]);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var script = new NftScript(PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table);
        var foldAbove = folder == "folded" ? 0 : PolicyRulesetBuilder.DefaultFoldAbove;
        int? logGroup = folder is "logged" or "tiered-logged" ? PolicyDenialLog.DefaultGroup : null;
        script.WriteTable(PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(result.Cluster!, node), foldAbove: foldAbove, logGroup: logGroup));
        return script.ToString();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheRenderedTableMatchesTheGoldenFile(string goldenFile)
    {
        var actual = Render(goldenFile);

        Tables.AssertMatches(goldenFile, actual);
    }

    [Fact]
    public void EveryPlaygroundScenarioAndNodeHasAGoldenTable()
    {
        var expected = Directory.GetFiles(Scenarios, "*.yaml").Select(f => Path.Combine("playground", Path.GetFileNameWithoutExtension(f) + ".nft"))
            .Concat(["every-rule/node-1.nft", "every-rule/node-2.nft", "every-rule/node-3.nft", "folded/node-1.nft", "folded/node-2.nft", "folded/node-3.nft", "logged/node-2.nft", "tiered/node-1.nft", "tiered/node-2.nft", "tiered/node-3.nft", "tiered-logged/node-1.nft"])
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, Tables.Files("*.nft"));
    }
}
