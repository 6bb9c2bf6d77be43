using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.TestKit;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// Every scenario of examples/netpol-playground, combined with its pods.yaml, against a golden truth table
/// (golden/&lt;scenario&gt;.txt: 80/TCP, 80/UDP and 81/TCP, rows from, columns to, <c>.</c> allowed, <c>X</c> denied; the
/// same text <c>maille matrix --port 80 --port 81 --port 80/UDP</c> prints). Set MAILLE_UPDATE_GOLDEN=1 to rewrite them,
/// then review the diff against the scenario's comment.
/// </summary>
public sealed class PlaygroundScenarioTests
{
    private static readonly string Examples = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground");

    private static readonly string GoldenFolder = Path.Combine(Cluster.RepositoryRoot, "tests", "Maille.Engine.Tests", "NetworkPolicy", "golden");

    private static readonly PortProtocol[] Ports = [new(80, Model.Protocol.TCP), new(81, Model.Protocol.TCP), new(80, Model.Protocol.UDP)];

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Examples, "scenarios"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_MatchesItsGoldenTruthTable(string scenario)
    {
        var scenarioFile = Path.Combine(Examples, "scenarios", scenario + ".yaml");
        var actual = TruthTables(Playground.PodsYaml, File.ReadAllText(scenarioFile));

        AssertGolden(scenario, actual);
    }

    [Fact]
    public void NoPolicy_EveryPodReachesEveryPodOnEveryPort()
    {
        AssertGolden("no-policy", TruthTables(Playground.PodsYaml, ""));
    }

    [Fact]
    public void Rule22_UpdatedLabelsChangeReachability_TwoManifestSets()
    {
        var policy = File.ReadAllText(Path.Combine(Examples, "scenarios", "peers-and.yaml"));

        // Step 2: y/c is relabelled pod=b, and namespace z is relabelled ns=x.
        var relabelled = Playground.PodsYaml
            .Replace("  name: z\n  labels:\n    ns: z", "  name: z\n  labels:\n    ns: x", StringComparison.Ordinal)
            .Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal);
        Assert.Equal(2, relabelled.Split("    ns: x\n").Length - 1);
        Assert.Equal(4, relabelled.Split("    pod: b\n").Length - 1);

        Assert.Equal(
            """
            80/TCP (rows: from, columns: to; . allowed, X denied)
            -    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
            x/a  .    .    .    .    .    .    .    .    .
            x/b  X    .    .    .    .    .    .    .    .
            x/c  X    .    .    .    .    .    .    .    .
            y/a  X    .    .    .    .    .    .    .    .
            y/b  .    .    .    .    .    .    .    .    .
            y/c  X    .    .    .    .    .    .    .    .
            z/a  X    .    .    .    .    .    .    .    .
            z/b  .    .    .    .    .    .    .    .    .
            z/c  X    .    .    .    .    .    .    .    .

            """,
            TruthTables(Playground.PodsYaml, policy, [new PortProtocol(80, Model.Protocol.TCP)]));
        Assert.Equal(
            """
            80/TCP (rows: from, columns: to; . allowed, X denied)
            -    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
            x/a  .    .    .    .    .    .    .    .    .
            x/b  X    .    .    .    .    .    .    .    .
            x/c  X    .    .    .    .    .    .    .    .
            y/a  X    .    .    .    .    .    .    .    .
            y/b  .    .    .    .    .    .    .    .    .
            y/c  .    .    .    .    .    .    .    .    .
            z/a  X    .    .    .    .    .    .    .    .
            z/b  X    .    .    .    .    .    .    .    .
            z/c  X    .    .    .    .    .    .    .    .

            """,
            TruthTables(relabelled, policy, [new PortProtocol(80, Model.Protocol.TCP)]));
    }

    private static string TruthTables(string pods, string policies, IReadOnlyList<PortProtocol>? ports = null)
    {
        var result = Cluster.Plan([new ManifestSource("pods.yaml", pods), new ManifestSource("policies.yaml", policies)]);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var cluster = result.Cluster!;
        var matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(cluster), cluster.Pods, ports ?? Ports);
        return string.Join("\n", Enumerable.Range(0, matrix.Ports.Length).Select(matrix.TruthTable));
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(GoldenFolder, name + ".txt");
        if (Environment.GetEnvironmentVariable("MAILLE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"no golden file {path}; run with MAILLE_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
