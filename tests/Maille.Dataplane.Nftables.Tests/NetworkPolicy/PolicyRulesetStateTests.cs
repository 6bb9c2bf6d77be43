using Maille.Engine.NetworkPolicies;
using static Maille.Dataplane.Nftables.Tests.NetworkPolicies.TracedCluster;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>
/// The transactions the policy table's state writes between two plans of node-1 of the playground (see
/// <see cref="PolicyTracerRuleTests"/> for the IP plan); the kernel's view of them is in the Lab tests.
/// </summary>
public sealed class PolicyRulesetStateTests
{
    private const string FromB = "podSelector: {}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]";

    [Fact]
    public void TheFirstSyncWritesTheWholeTable_AnUnchangedPlanWritesNothing()
    {
        var state = new PolicyRulesetState();

        var first = state.Prepare(Table(Policy("x", "from-b", FromB)));
        state.Commit(first);
        var again = state.Prepare(Table(Policy("x", "from-b", FromB)));

        Assert.True(first.Full);
        Assert.StartsWith("add table ip maille-policy\ndelete table ip maille-policy\ntable ip maille-policy {", first.Script, StringComparison.Ordinal);
        Assert.Equal(0, again.CommandCount);
        Assert.Equal("", again.Script);
    }

    [Fact]
    public void AForcedFullSync_RewritesTheTable_AndItsCountersStartFromTheValuesReadBefore()
    {
        var table = Table(Policy("x", "from-b", FromB));
        var state = Committed(table);
        var counted = table.Counters[0];

        var change = state.Prepare(table, full: true, new Dictionary<string, NftCounterValue> { [counted] = new(counted, 7, 700) });

        Assert.True(change.Full);
        Assert.StartsWith("add table ip maille-policy\ndelete table ip maille-policy\ntable ip maille-policy {", change.Script, StringComparison.Ordinal);
        Assert.Contains($"\tcounter {counted} {{ packets 7 bytes 700 }}\n", change.Script, StringComparison.Ordinal);
        Assert.All(table.Counters.Skip(1), other => Assert.Contains($"\tcounter {other} {{ }}\n", change.Script, StringComparison.Ordinal));
    }

    [Fact]
    public void ARelabelledPeer_IsOnlyElementCommands()
    {
        var state = Committed(Table(Policy("x", "from-b", FromB)));
        var relabelled = PlaygroundPods.Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal);

        var change = state.Prepare(Table(Policy("x", "from-b", FromB), relabelled));

        Assert.False(change.Full);
        var peers = Assert.Single(Table(Policy("x", "from-b", FromB)).Sets, s => s.Name.StartsWith("peers-", StringComparison.Ordinal)).Name;
        Assert.Equal([$"add element ip maille-policy {peers} {{ 198.19.3.3 }}"], change.Script.TrimEnd('\n').Split('\n'));   // y/c joins y/b and z/b
    }

    [Fact]
    public void AMergedRange_IsDeletedAndWrittenAgain()
    {
        var state = Committed(Table(Policy("x", "from-b", FromB)));
        var withoutZb = PlaygroundPods.Replace("  name: b\n  namespace: z\n  labels:\n    pod: b", "  name: b\n  namespace: z\n  labels:\n    pod: q", StringComparison.Ordinal);

        var change = state.Prepare(Table(Policy("x", "from-b", FromB), withoutZb));

        var peers = state.Applied!.Sets.Single(s => s.Name.StartsWith("peers-", StringComparison.Ordinal)).Name;
        Assert.Equal(
            [$"delete element ip maille-policy {peers} {{ 198.19.2.2-198.19.2.4 }}", $"add element ip maille-policy {peers} {{ 198.19.2.2/31 }}"],   // x/b, y/b stay; z/b goes
            change.Script.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData(PolicyRulesetBuilder.DefaultFoldAbove)]
    [InlineData(0)]
    public void AChangedPolicy_CreatesItsChainInOneTransaction_ThenPointsThePodsAtItAndRemovesTheOld(int foldAbove)
    {
        var state = Committed(Table(Policy("x", "from-b", FromB), foldAbove: foldAbove));
        var old = state.Applied!.Chains.Single(c => c.Name.StartsWith("ingress-", StringComparison.Ordinal)).Name;

        var change = state.Prepare(Table(Policy("x", "from-b-on-80", FromB + "\n") + Policy("x", "ports", "podSelector: {}\ningress: [{ports: [{port: 80}]}]"), foldAbove: foldAbove));

        Assert.False(change.Full);
        Assert.Equal(2, change.Steps.Count);
        var (create, point) = (Lines(change.Steps[0]), Lines(change.Steps[1]));
        var created = change.Desired.Chains.Single(c => c.Name.StartsWith("ingress-", StringComparison.Ordinal)).Name;
        Assert.StartsWith("add counter ip maille-policy ingress/x/from-b-on-80/0", create[0], StringComparison.Ordinal);
        Assert.Contains($"add chain ip maille-policy {created}", create);
        Assert.All(create, l => Assert.Matches("^add ", l));
        Assert.All(create, l => Assert.DoesNotContain("ingress-pods", l, StringComparison.Ordinal));   // nothing points at the new chain yet
        var repointed = Array.FindIndex(point, l => l.StartsWith("add element ip maille-policy ingress-pods ", StringComparison.Ordinal) && l.Contains($"jump {created}", StringComparison.Ordinal));
        var flushed = Array.IndexOf(point, $"flush chain ip maille-policy {old}");
        Assert.InRange(repointed, 0, flushed - 1);
        Assert.Equal($"delete chain ip maille-policy {old}", point[flushed + 1]);
        Assert.Equal("delete counter ip maille-policy ingress/x/from-b/0", point[^1]);
        if (foldAbove == 0)
        {
            Assert.Contains(create, l => l.StartsWith($"add map ip maille-policy {created} ", StringComparison.Ordinal));   // its map is whole before any packet looks it up
            Assert.Contains(create, l => l.StartsWith($"add element ip maille-policy {created} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void AFoldedChain_ARelabelledPeer_IsOnlyElementCommandsOnTheChainsMaps()
    {
        var state = Committed(Table(Policy("x", "from-b", FromB), foldAbove: 0));
        var relabelled = PlaygroundPods.Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal);

        var change = state.Prepare(Table(Policy("x", "from-b", FromB), relabelled, foldAbove: 0));

        var chain = state.Applied!.Chains.Single(c => c.Name.StartsWith("ingress-", StringComparison.Ordinal)).Name;
        Assert.False(change.Full);
        Assert.Equal([$"add element ip maille-policy {chain}-any {{ 198.19.3.3 : \"ingress/x/from-b/0\" }}"], change.Script.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void TheFoldCache_ReusesUnchangedMaps_AndBuildsTheTableABuildWithoutItWould()
    {
        var policies = Policy("x", "from-b", FromB) + Policy("y", "from-y", "podSelector: {}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}]}]");
        var relabelled = PlaygroundPods.Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal);
        var cache = new PolicyFoldCache();
        var before = PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(Playground(policies).Cluster, "node-1"), foldAbove: 0, cache: cache);

        var after = PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(Playground(policies, relabelled).Cluster, "node-1"), foldAbove: 0, cache: cache);

        Assert.Equal(Table(policies, relabelled, foldAbove: 0), after);
        var fromY = before.Chains.Single(c => c.Rules.Any(r => r.Text.Contains("y/from-y", StringComparison.Ordinal))).Name;
        var fromB = before.Chains.Single(c => c.Rules.Any(r => r.Text.Contains("x/from-b", StringComparison.Ordinal))).Name;
        Assert.Same(before.Set(fromY), after.Set(fromY));          // y's members did not change: the map is reused
        Assert.NotEqual(before.Set(fromB + "-any"), after.Set(fromB + "-any"));      // y/c joined the pods b: folded again
    }

    private static NftRuleset Table(string policies, string? pods = null, int foldAbove = PolicyRulesetBuilder.DefaultFoldAbove) =>
        PolicyRulesetBuilder.Build(NodePolicyPlanner.Plan(Playground(policies, pods).Cluster, "node-1"), foldAbove: foldAbove);

    private static string[] Lines(string script) => script.TrimEnd('\n').Split('\n');

    private static PolicyRulesetState Committed(NftRuleset table)
    {
        var state = new PolicyRulesetState();
        state.Commit(state.Prepare(table));
        return state;
    }
}
