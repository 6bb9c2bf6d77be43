using System.Text.Json.Nodes;
using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Kube.Tables;
using Maille.Lab.NodeAgents;
using Maille.Lab.Policy;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>
/// <c>GET /apis/maille.dev/v1alpha1/policycounters</c>: every NetworkPolicy rule's counter summed over the node agents
/// (packets are connections the rule allowed: only a connection's first packet reaches a policy rule), with each
/// node's share; and under <c>clusterNetworkPolicyRules</c> every ClusterNetworkPolicy rule's (connections it decided,
/// Accept, Deny or Pass), named as <c>trace</c> names them (tier, priority, policy, rule, ruleName, action). A node
/// whose counters cannot be read is listed in <c>errors</c>; the others still count.
/// </summary>
public static class PolicyCountersResource
{
    public static JsonObject Render(IEnumerable<NodeAgent> agents)
    {
        var (totals, clusterTotals, errors) = Read(agents);
        return new JsonObject
        {
            ["kind"] = "PolicyRuleCounterList",
            ["apiVersion"] = LabApiServer.MailleGroup,
            ["items"] = new JsonArray([.. totals.Select(t => (JsonNode)new JsonObject
            {
                ["namespace"] = t.Rule.PolicyNamespace,
                ["name"] = t.Rule.PolicyName,
                ["direction"] = t.Rule.DirectionName,
                ["rule"] = t.Rule.Rule,
                ["counter"] = t.Rule.CounterName,
                ["packets"] = t.Packets,
                ["bytes"] = t.Bytes,
                ["nodes"] = Nodes(t.Nodes),
            })]),
            ["clusterNetworkPolicyRules"] = new JsonArray([.. clusterTotals.Select(t => (JsonNode)new JsonObject
            {
                ["tier"] = t.Rule.Tier.ToString(),
                ["priority"] = t.Rule.Priority,
                ["policy"] = t.Rule.Policy,
                ["direction"] = t.Rule.DirectionName,
                ["rule"] = t.Rule.Rule,
                ["ruleName"] = t.RuleName,
                ["action"] = t.Action.ToString(),
                ["counter"] = t.Counter,
                ["packets"] = t.Packets,
                ["bytes"] = t.Bytes,
                ["nodes"] = Nodes(t.Nodes),
            })]),
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
        };
    }

    /// <summary>Every rule's counter summed over the node agents, and the nodes whose counters could not be read.</summary>
    public static (IReadOnlyList<PolicyRuleTotal> Totals, IReadOnlyList<string> Errors) Totals(IEnumerable<NodeAgent> agents)
    {
        var (totals, _, errors) = Read(agents);
        return (totals, errors);
    }

    /// <summary>Both kinds of rule counters summed over the node agents (each node's table listed once), and the nodes that could not be read.</summary>
    public static (IReadOnlyList<PolicyRuleTotal> Totals, IReadOnlyList<ClusterRuleTotal> ClusterTotals, IReadOnlyList<string> Errors) Read(IEnumerable<NodeAgent> agents)
    {
        var errors = new List<string>();
        var perNode = new List<(string, IReadOnlyList<PolicyRuleCount>)>();
        var clusterPerNode = new List<(string, IReadOnlyList<ClusterRuleCount>)>();
        foreach (var agent in agents.OrderBy(a => a.Node, StringComparer.Ordinal))
        {
            if (agent.Policy is not null || agent.PodPolicy is not null)
            {
                try
                {
                    var (rules, clusterRules) = agent.Policy is { } enforcer ? enforcer.ReadAllCounters() : agent.PodPolicy!.ReadAllCounters();
                    perNode.Add((agent.Node, rules));
                    clusterPerNode.Add((agent.Node, clusterRules));
                }
                catch (InvalidOperationException e)
                {
                    errors.Add($"{agent.Node}: {e.Message}");
                }
            }
        }

        return (PolicyRuleTotal.Sum(perNode), ClusterRuleTotal.Sum(clusterPerNode), errors);
    }

    private static JsonArray Nodes(IEnumerable<NodeRuleCount> nodes) =>
        new([.. nodes.Select(n => (JsonNode)new JsonObject { ["node"] = n.Node, ["packets"] = n.Packets, ["bytes"] = n.Bytes })]);

    /// <summary>The totals as the tables and descriptions show them.</summary>
    public static RuleCounters Counters(IEnumerable<PolicyRuleTotal> totals) =>
        new(totals.ToDictionary(t => t.Rule, t => new RuleCount(t.Packets, t.Bytes, [.. t.Nodes.Select(n => (n.Node, n.Packets))])));

    /// <summary>The totals of a <see cref="Render"/>ed answer, as the CLI reads them back.</summary>
    public static IReadOnlyList<PolicyRuleTotal> Parse(JsonNode answer) =>
        [.. (answer["items"]?.AsArray() ?? []).OfType<JsonObject>().Select(item => new PolicyRuleTotal(
            new PolicyRuleId(
                (string)item["namespace"]!,
                (string)item["name"]!,
                (string?)item["direction"] == "egress" ? PolicyDirection.Egress : PolicyDirection.Ingress,
                (int)item["rule"]!),
            [.. (item["nodes"]?.AsArray() ?? []).OfType<JsonObject>().Select(n => new NodeRuleCount((string)n["node"]!, (long)n["packets"]!, (long)n["bytes"]!))]))];
}
