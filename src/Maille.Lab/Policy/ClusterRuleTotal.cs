using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Lab.Policy;

/// <summary>One ClusterNetworkPolicy rule's counters summed over every node that counts it (<see cref="Nodes"/>, by node name).</summary>
public sealed record ClusterRuleTotal(ClusterRuleId Rule, string? RuleName, ClusterPolicyAction Action, IReadOnlyList<NodeRuleCount> Nodes)
{
    public string Counter => PolicyCounterNames.Of(Rule);

    public long Packets => Nodes.Sum(n => n.Packets);

    public long Bytes => Nodes.Sum(n => n.Bytes);

    /// <summary>
    /// Every rule counted on any node, in evaluation order (tier, priority, policy, direction, rule). A rule's counter
    /// exists on a node only while a tier chain of that node uses it, so a rule no node counts is absent (not zero).
    /// </summary>
    public static IReadOnlyList<ClusterRuleTotal> Sum(IEnumerable<(string Node, IReadOnlyList<ClusterRuleCount> Counts)> nodes) =>
        [.. nodes
            .SelectMany(n => n.Counts.Select(c => (n.Node, Count: c)))
            .GroupBy(x => x.Count.Rule)
            .Select(g => new ClusterRuleTotal(g.Key, g.First().Count.RuleName, g.First().Count.Action, [.. g.Select(x => new NodeRuleCount(x.Node, x.Count.Packets, x.Count.Bytes)).OrderBy(n => n.Node, StringComparer.Ordinal)]))
            .OrderBy(t => t.Rule.Tier)
            .ThenBy(t => t.Rule.Priority)
            .ThenBy(t => t.Rule.Policy, StringComparer.Ordinal)
            .ThenBy(t => t.Rule.Direction)
            .ThenBy(t => t.Rule.Rule)];
}
