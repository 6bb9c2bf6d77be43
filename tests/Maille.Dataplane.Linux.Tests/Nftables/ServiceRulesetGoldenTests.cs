using Maille.Dataplane.Nftables;
using Maille.Engine.ServiceProxy;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>
/// Golden rulesets: each folder under <c>testassets/nftables</c> holds <c>input.yaml</c> (planned on two nodes) and
/// one <c>NODE.nft</c> per node with the exact full-sync transaction that node applies. Run with
/// <c>MAILLE_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change, and read the diff.
/// </summary>
public sealed class ServiceRulesetGoldenTests
{
    internal static string GoldenRoot => Path.Combine(Cluster.RepositoryRoot, "tests", "Maille.Dataplane.Linux.Tests", "testassets", "nftables");

    internal static readonly ClusterConfig TwoNodes = ClusterConfig.Default with { NodeCount = 2 };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(GoldenRoot, "*.nft", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(GoldenRoot, file));
        }

        return data;
    }

    /// <summary>The full-sync transaction of <paramref name="node"/> for the case folder's input.</summary>
    internal static string Render(string caseFolder, string node)
    {
        var yaml = File.ReadAllText(Path.Combine(GoldenRoot, caseFolder, "input.yaml"));
        var cluster = Cluster.Valid(yaml, TwoNodes);
        var script = new NftScript(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table);
        script.WriteTable(ServiceRulesetBuilder.Build(ServiceProxyPlanner.Plan(cluster, node)));
        return script.ToString();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_rendered_ruleset_matches_the_golden_file(string goldenFile)
    {
        var path = Path.Combine(GoldenRoot, goldenFile);
        var actual = Render(Path.GetDirectoryName(goldenFile)!, Path.GetFileNameWithoutExtension(goldenFile));
        if (Environment.GetEnvironmentVariable("MAILLE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void There_are_golden_rulesets()
    {
        Assert.NotEmpty(Cases());
    }
}
