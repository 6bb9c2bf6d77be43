using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.TestKit;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// Every scenario of examples/netpol-playground, combined with its pods.yaml, against a golden truth table
/// (golden/&lt;scenario&gt;.txt: 80/TCP, 80/UDP and 81/TCP, rows from, columns to, <c>.</c> allowed, <c>X</c> denied; the
/// same text <c>maille matrix --port 80 --port 81 --port 80/UDP</c> prints). A two-step scenario (two-step/&lt;name&gt;/:
/// a policy updated or deleted, a pod or a namespace relabelled) has one table per step, golden/&lt;name&gt;.step1.txt and
/// .step2.txt. Set MAILLE_UPDATE_GOLDEN=1 to rewrite them, then review the diff against the scenario's comment.
/// </summary>
public sealed class PlaygroundScenarioTests
{
    private static readonly string Examples = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground");

    private static readonly PortProtocol[] Ports = [new(80, Model.Protocol.TCP), new(81, Model.Protocol.TCP), new(80, Model.Protocol.UDP)];

    public static TheoryData<string> Scenarios() => new(PlaygroundScenario.OneStepNames());

    public static TheoryData<string> TwoStepScenarios() => new(PlaygroundScenario.TwoStepNames());

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_MatchesItsGoldenTruthTable(string scenario)
    {
        var scenarioFile = Path.Combine(Examples, "scenarios", scenario + ".yaml");
        var actual = TruthTables(Playground.PodsYaml, File.ReadAllText(scenarioFile));

        AssertGolden(scenario, actual);
    }

    [Theory]
    [MemberData(nameof(TwoStepScenarios))]
    public void TwoStepScenario_EachStepMatchesItsGoldenTruthTable_AndTheChangeChangesReachability(string name)
    {
        var scenario = PlaygroundScenario.Load(name);
        Assert.Equal(2, scenario.Steps);
        var before = TruthTables(scenario.Plan(1));
        var after = TruthTables(scenario.Plan(2));

        AssertGolden(name + ".step1", before);
        AssertGolden(name + ".step2", after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void TwoStepScenarios_AreTheFourKindsOfLiveChange()
    {
        var changes = PlaygroundScenario.TwoStepNames().Select(n => string.Join(' ', PlaygroundScenario.Load(n).Change!.Take(2))).ToList();

        Assert.Contains("apply -f", changes);
        Assert.Contains("label pod", changes);
        Assert.Contains("label ns", changes);
        Assert.Contains("delete networkpolicy", changes);
    }

    [Fact]
    public void ASecondStepIsRefusedWhereTheLabWouldRefuseIt()
    {
        var manifests = PlaygroundScenario.Load("peers-and").Manifests(1);

        var overwrite = Assert.Throws<InvalidOperationException>(() => PlaygroundChange.Apply(manifests, ["label", "ns", "y", "ns=q"]));
        Assert.Contains("'ns' already has a value (y), and --overwrite is false", overwrite.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => PlaygroundChange.Apply(manifests, ["delete", "networkpolicy", "no-such-policy", "-n", "x"]));
        Assert.Equal("q", PlaygroundChange.Apply(manifests, ["label", "ns", "y", "ns=q", "--overwrite"]).Namespaces.Single(n => n.Name == "y").Meta.Labels["ns"]);
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
        return TruthTables(result.Cluster!, ports);
    }

    private static string TruthTables(ClusterState cluster, IReadOnlyList<PortProtocol>? ports = null)
    {
        var matrix = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(cluster), cluster.Pods, ports ?? Ports);
        return string.Join("\n", Enumerable.Range(0, matrix.Ports.Length).Select(matrix.TruthTable));
    }

    private static void AssertGolden(string name, string actual) => Goldens.TruthTables.AssertMatches(name + ".txt", actual);
}
