using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>
/// The rendered tables, walked by the packet tracer along each connection's path, against
/// <see cref="NetworkPolicyEvaluator"/>: every ordered pair of endpoints (the playground's 9 pods, the 3 nodes, one
/// outside address) on 80 and 81 over TCP and UDP, for each playground scenario and for seeded random policy sets
/// (<see cref="RandomPolicies"/>), each with every chain listed and with every chain folded. A disagreement prints the
/// seed, the pair and both answers with the rules that decided; replay a seed with <c>RandomPolicies.Yaml(seed)</c>.
/// </summary>
public sealed class PolicyTracerDifferentialTests
{
    private static readonly string Scenarios = Path.Combine(Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios");

    private static readonly (int Port, Protocol Protocol)[] Ports = [(80, Protocol.TCP), (81, Protocol.TCP), (80, Protocol.UDP), (81, Protocol.UDP)];

    /// <summary>Every scenario with every chain listed (rules walked one by one), then with every chain folded (one lookup).</summary>
    public static TheoryData<string, int> ScenarioFilesAndShapes()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(Scenarios, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal))
        {
            data.Add(file, Listed);
            data.Add(file, Folded);
        }

        return data;
    }

    /// <summary><c>foldAbove</c> for tables whose chains all list their rules, and for tables whose chains are all folded.</summary>
    private const int Listed = int.MaxValue;
    private const int Folded = 0;

    [Theory]
    [MemberData(nameof(ScenarioFilesAndShapes))]
    public void PlaygroundScenario_TracedRulesDecideAsTheEvaluator(string scenario, int foldAbove)
    {
        Agree(scenario, TracedCluster.Playground(File.ReadAllText(Path.Combine(Scenarios, scenario)), foldAbove: foldAbove));
    }

    /// <summary>The lab logs every denial to an nfnetlink_log group (<c>maille observe</c>); the log statement must decide nothing.</summary>
    [Theory]
    [MemberData(nameof(ScenarioFilesAndShapes))]
    public void PlaygroundScenario_WithDenialsLogged_TracedRulesStillDecideAsTheEvaluator(string scenario, int foldAbove)
    {
        Agree(scenario, TracedCluster.Playground(File.ReadAllText(Path.Combine(Scenarios, scenario)), foldAbove: foldAbove, logGroup: PolicyDenialLog.DefaultGroup));
    }

    /// <summary>ClusterNetworkPolicy tiers of both kinds around NetworkPolicy chains of both shapes (the <c>tiered</c> golden case).</summary>
    [Theory]
    [InlineData(Listed)]
    [InlineData(Folded)]
    public void TieredClusterNetworkPolicies_TracedRulesDecideAsTheEvaluator(int foldAbove)
    {
        var (allowed, denied) = Agree("tiered", TracedCluster.Playground(Goldens.PolicyTables.Read(Path.Combine("tiered", "input.yaml")), foldAbove: foldAbove));

        Assert.True(allowed > 0 && denied > 0, $"{allowed} allowed and {denied} denied cells");
    }

    [Theory]
    [InlineData(Listed)]
    [InlineData(Folded)]
    public void RandomPolicySets_TracedRulesDecideAsTheEvaluator(int foldAbove)
    {
        var (allowed, denied) = (0, 0);
        for (var seed = 1; seed <= 60; seed++)
        {
            var (a, d) = Agree($"seed {seed}, chains folded above {foldAbove} rules", TracedCluster.Playground(RandomPolicies.Yaml(seed), foldAbove: foldAbove));
            (allowed, denied) = (allowed + a, denied + d);
        }

        // The generator must exercise both outcomes in earnest, or agreeing proves little.
        Assert.True(denied > (allowed + denied) / 5 && allowed > (allowed + denied) / 5, $"{allowed} allowed and {denied} denied cells");
    }

    /// <summary>
    /// Random ClusterNetworkPolicy sets mixed with NetworkPolicies (<see cref="RandomClusterPolicies"/>), the rendered
    /// tiers against the evaluator; the sets must use both tiers, every action, tied priorities and networks peers.
    /// </summary>
    [Theory]
    [InlineData(Listed)]
    [InlineData(Folded)]
    public void RandomClusterPolicySets_TracedRulesDecideAsTheEvaluator(int foldAbove)
    {
        var (allowed, denied) = (0, 0);
        var policies = new List<ClusterNetworkPolicy>();
        var tiedSets = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            var cluster = TracedCluster.Playground(RandomClusterPolicies.Yaml(seed), foldAbove: foldAbove);
            var (a, d) = Agree($"seed {seed} of RandomClusterPolicies, chains folded above {foldAbove} rules", cluster);
            (allowed, denied) = (allowed + a, denied + d);
            policies.AddRange(cluster.Cluster.ClusterNetworkPolicies);
            tiedSets += cluster.Cluster.ClusterNetworkPolicies.GroupBy(p => (p.Tier, p.Priority)).Any(g => g.Count() > 1) ? 1 : 0;
        }

        Assert.True(denied > (allowed + denied) / 5 && allowed > (allowed + denied) / 5, $"{allowed} allowed and {denied} denied cells");
        var rules = policies.SelectMany(p => p.Ingress.Concat(p.Egress)).ToList();
        Assert.Equal(2, policies.Select(p => p.Tier).Distinct().Count());
        Assert.Equal(3, rules.Select(r => r.Action).Distinct().Count());
        Assert.Contains(rules, r => r.Peers.Any(p => !p.Networks.IsEmpty));
        Assert.True(tiedSets >= 5, $"only {tiedSets} sets have two policies of one tier at one priority");
    }

    /// <summary>Checks every cell; returns how many were allowed and denied.</summary>
    private static (int Allowed, int Denied) Agree(string context, TracedCluster cluster)
    {
        var (allowed, denied) = (0, 0);
        var endpoints = cluster.AllEndpoints;
        foreach (var from in endpoints)
        {
            foreach (var to in endpoints)
            {
                foreach (var (port, protocol) in Ports)
                {
                    var verdict = cluster.Evaluator.Evaluate(from, to, port, protocol);
                    var path = cluster.Trace(from, to, port, protocol);
                    if (TracedCluster.Passes(path) != verdict.Allowed)
                    {
                        var hops = path.Count == 0 ? "no forward hook crossed" : string.Join("; ", path.Select(h => $"{h.Node}: {h.Result} by {h.Result.Decision?.ToString() ?? "nothing"}"));
                        Assert.Fail($"{context}: {from} -> {to} on {port}/{protocol}: evaluator says {verdict}; traced rules say {hops}");
                    }

                    (allowed, denied) = verdict.Allowed ? (allowed + 1, denied) : (allowed, denied + 1);
                }
            }
        }

        return (allowed, denied);
    }
}
