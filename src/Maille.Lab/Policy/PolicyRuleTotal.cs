using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Policy;

/// <summary>One policy rule's counters summed over every node that counts it (<see cref="Nodes"/>, by node name).</summary>
public sealed record PolicyRuleTotal(PolicyRuleId Rule, IReadOnlyList<NodeRuleCount> Nodes)
{
    public long Packets => Nodes.Sum(n => n.Packets);

    public long Bytes => Nodes.Sum(n => n.Bytes);

    /// <summary>
    /// Every rule counted on any node, in counter name order. A rule's counter exists on a node only while a chain of
    /// that node uses the rule, so a rule no node counts is absent (not zero).
    /// </summary>
    public static IReadOnlyList<PolicyRuleTotal> Sum(IEnumerable<(string Node, IReadOnlyList<PolicyRuleCount> Counts)> nodes) =>
        [.. nodes
            .SelectMany(n => n.Counts.Select(c => (n.Node, Count: c)))
            .GroupBy(x => x.Count.Rule)
            .Select(g => new PolicyRuleTotal(g.Key, [.. g.Select(x => new NodeRuleCount(x.Node, x.Count.Packets, x.Count.Bytes)).OrderBy(n => n.Node, StringComparer.Ordinal)]))
            .OrderBy(t => t.Rule.CounterName, StringComparer.Ordinal)];
}
