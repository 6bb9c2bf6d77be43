using System.Text.Json.Nodes;
using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Kube.Views;
using Maille.Lab.NodeAgents;
using Maille.Lab.Policy;

namespace Maille.Lab.Api;

/// <summary>
/// The NetworkPolicy part of <c>GET …/nodeagents/{node}/trace</c>: for each endpoint the entry node's Service rules may
/// send the connection to (or the destination itself when they leave it alone), the walk of every node's policy table
/// that judges it (docs/trace.md, "On a running lab").
/// </summary>
public static class PolicyWalkJson
{
    public static string Table => $"{Dataplane.Nftables.PolicyRulesetBuilder.Family} {Dataplane.Nftables.PolicyRulesetBuilder.Table}";

    /// <summary>One entry per target; empty when the Service rules ended the packet (nothing reaches the forward hook).</summary>
    /// <param name="judgedPort">The port NetworkPolicy judges for a target (its address and port): 15008 where the mesh
    /// carries the connection over HBONE; the target's own port when null.</param>
    public static JsonArray Render(IReadOnlyDictionary<string, NodeAgent> agents, string entryNode, NftIngress ingress, System.Net.IPAddress source, System.Net.IPAddress destination, string protocol, int port, NftTraceResult services, Func<System.Net.IPAddress, int, int>? judgedPort = null)
    {
        // Each node's snapshot is read once: the plans listed and the tables walked are the same syncs'.
        var applied = agents.Values
            .Select(a => (a.Node, Applied: a.Policy?.Applied))
            .Where(e => e.Applied is not null)
            .ToDictionary(e => e.Node, e => e.Applied!, StringComparer.Ordinal);
        var plans = applied.ToDictionary(e => e.Key, e => e.Value.Plan, StringComparer.Ordinal);
        // A node's ClusterNetworkPolicy counters are read from its kernel once, and only when a rule of it decided.
        var counters = new Dictionary<string, IReadOnlyList<ClusterRuleCount>?>(StringComparer.Ordinal);
        ClusterRuleCount? Counter(string node, ClusterRuleId rule)
        {
            if (!counters.TryGetValue(node, out var read))
            {
                try
                {
                    read = agents.TryGetValue(node, out var agent) ? agent.Policy?.ReadClusterCounters() : null;
                }
                catch (InvalidOperationException)
                {
                    read = null;
                }

                counters[node] = read;
            }

            return read?.FirstOrDefault(c => c.Rule == rule);
        }

        var entries = Render(plans, (crossing, targetPort) => PolicyWalker.Walk(applied[crossing.Node], crossing, protocol, targetPort), entryNode, ingress, source, destination, port, services, Counter, judgedPort);
        AddEbpfWalks(entries, agents, entryNode, source, protocol, services, judgedPort);
        return entries;
    }

    /// <summary>
    /// In the ebpf mode (nodes whose policy part is <c>networkpolicy-ebpf</c>): beside each target, the walk of the tc
    /// programs' maps (<c>ebpf[]</c>) for the source pod's egress on its node and the target pod's ingress on its node,
    /// naming every map entry read; the target's <c>verdict</c> then counts them too. A masqueraded target's ingress is
    /// walked with the entry node's address as its peer when the target is on another node (the packet arrives there
    /// masqueraded); on the entry node itself <c>maille_ingress</c> reads the client from the conntrack entry that
    /// masqueraded it, so the walk's peer is the client, as nftables' forward hook and the engine judge it.
    /// </summary>
    private static void AddEbpfWalks(JsonArray entries, IReadOnlyDictionary<string, NodeAgent> agents, string entryNode, System.Net.IPAddress source, string protocol, NftTraceResult services, Func<System.Net.IPAddress, int, int>? judgedPort)
    {
        var ebpf = agents.Values.Where(a => a.PodPolicy?.Plan is not null).OrderBy(a => a.Node, StringComparer.Ordinal).ToList();
        if (ebpf.Count == 0)
        {
            return;
        }

        var number = Maille.Engine.NetworkPolicies.IpProtocols.Parse(protocol) ?? 0;
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var endpoint = System.Net.IPEndPoint.Parse((string)entry["endpoint"]!);
            var port = judgedPort?.Invoke(endpoint.Address, endpoint.Port) ?? endpoint.Port;
            var masqueraded = services.Targets.Any(t => t.Masqueraded && t.Address.Equals(endpoint.Address) && t.Port == endpoint.Port);
            var entryPlan = agents.GetValueOrDefault(entryNode)?.PodPolicy?.Plan;
            var onEntryNode = entryPlan?.Pods.Any(p => p.Address.Equals(endpoint.Address)) == true;
            var seen = masqueraded && !onEntryNode && entryPlan?.NodeAddress is { } entryAddress ? entryAddress : source;
            // The nftables plans name the endpoint's pod; in this mode the ebpf plans do.
            entry["pod"] ??= ebpf.SelectMany(a => a.PodPolicy!.Plan!.Pods).FirstOrDefault(p => p.Address.Equals(endpoint.Address))?.Pod;
            var walks = new JsonArray();
            // In the packet's order, as the nftables walks are: the source's egress, then the target's ingress.
            foreach (var (isIngress, pod, peer) in new[] { (false, source, endpoint.Address), (true, endpoint.Address, seen) })
            {
                foreach (var agent in ebpf)
                {
                    if (!agent.PodPolicy!.Plan!.Pods.Any(p => p.Address.Equals(pod)))
                    {
                        continue;
                    }

                    var walk = agent.PodPolicy.Walk(isIngress, pod, peer, number, number == 0 ? null : port);
                    walks.Add(new JsonObject
                    {
                        ["node"] = agent.Node,
                        ["direction"] = isIngress ? "ingress" : "egress",
                        ["pod"] = pod.ToString(),
                        ["peer"] = peer.ToString(),
                        ["protocol"] = protocol,
                        ["port"] = port,
                        ["verdict"] = walk.Allowed ? "allowed" : "denied",
                        ["decidedBy"] = walk.DecidedBy,
                        ["steps"] = new JsonArray([.. walk.Steps.Select(s => (JsonNode)JsonValue.Create(s))]),
                    });
                }
            }

            entry["ebpf"] = walks;
            if (walks.Any(w => (string)w!["verdict"]! == "denied"))
            {
                entry["verdict"] = "denied";
            }
        }
    }

    /// <summary>
    /// The same from the nodes' <paramref name="plans"/> and a way to <paramref name="walk"/> one node's table for a
    /// crossing and the target's port (null: that node has no table yet), and to read a node's counter of a
    /// ClusterNetworkPolicy rule (<paramref name="counter"/>; null, or an answer of null: not read).
    /// </summary>
    public static JsonArray Render(IReadOnlyDictionary<string, Engine.NetworkPolicies.NodePolicyPlan> plans, Func<PolicyCrossing, int, PolicyWalk?> walk, string entryNode, NftIngress ingress, System.Net.IPAddress source, System.Net.IPAddress destination, int port, NftTraceResult services, Func<string, ClusterRuleId, ClusterRuleCount?>? counter = null, Func<System.Net.IPAddress, int, int>? judgedPort = null)
    {
        var targets = services.Verdict switch
        {
            NftTraceVerdict.Translated => [.. services.Targets],
            NftTraceVerdict.NotTranslated => [new NftTraceTarget(destination, port, services.Targets.Any(t => t.Masqueraded))],
            _ => new List<NftTraceTarget>(),
        };

        var entries = new JsonArray();
        foreach (var target in targets)
        {
            var walked = judgedPort?.Invoke(target.Address, target.Port) ?? target.Port;
            var walks = PolicyCrossings.For(plans, entryNode, ingress, source, target.Address, target.Masqueraded)
                .Select(c => walk(c, walked))
                .OfType<PolicyWalk>()
                .ToList();
            var pod = plans.Values.SelectMany(p => p.Pods).FirstOrDefault(p => p.Address.Equals(target.Address))?.Pod;
            entries.Add(new JsonObject
            {
                ["endpoint"] = $"{target.Address}:{target.Port}",
                ["pod"] = pod,
                ["verdict"] = walks.All(w => w.Allowed) ? "allowed" : "denied",
                ["agrees"] = walks.All(w => w.Agrees),
                ["walks"] = new JsonArray([.. walks.Select(w => (JsonNode)Walk(w, counter))]),
            });
        }

        return entries;
    }

    private static JsonObject Walk(PolicyWalk walk, Func<string, ClusterRuleId, ClusterRuleCount?>? counter) => new()
    {
        ["node"] = walk.Node,
        ["table"] = Table,
        ["source"] = walk.Source.ToString(),
        ["destination"] = walk.Destination.ToString(),
        ["protocol"] = walk.Protocol,
        ["port"] = walk.Port,
        ["verdict"] = walk.Verdict,
        ["hairpin"] = walk.Hairpin,
        ["decision"] = walk.Trace.Decision?.ToString(),
        ["steps"] = new JsonArray([.. walk.Trace.Steps.Select(s => (JsonNode)JsonValue.Create(s.ToString()))]),
        ["plan"] = walk.PlanAllows ? "allowed" : "denied",
        ["agrees"] = walk.Agrees,
        ["egress"] = Side(walk.Node, walk.Egress, counter),
        ["ingress"] = Side(walk.Node, walk.Ingress, counter),
    };

    /// <summary>
    /// One direction; besides the NetworkPolicy fields, <c>decision</c> (the same object as offline <c>trace</c>'s: tier,
    /// allowed, priority, policy, rule, ruleName, action, passedBy) and, when a ClusterNetworkPolicy rule decided,
    /// <c>counter</c> (its nftables counter on this node: name, packets, bytes).
    /// </summary>
    private static JsonObject? Side(string node, PolicyWalkSide? side, Func<string, ClusterRuleId, ClusterRuleCount?>? counter) => side is null ? null : new JsonObject
    {
        ["pod"] = side.Pod,
        ["isolated"] = side.Chain is not null,
        ["chain"] = side.Chain,
        ["isolatedBy"] = new JsonArray([.. side.IsolatedBy.Select(p => (JsonNode)JsonValue.Create(p))]),
        ["verdict"] = side.Live switch
        {
            PolicyWalkOutcome.NotIsolated => "not isolated",
            PolicyWalkOutcome.Allowed => "allowed",
            PolicyWalkOutcome.Denied => "denied",
            PolicyWalkOutcome.NotReached => "not reached",
            _ => "not entered",
        },
        ["nftables"] = side.DecidedAt?.ToString(),
        ["policy"] = side.Live == PolicyWalkOutcome.Allowed ? side.AllowedBy?.Rule.Policy : null,
        ["ruleIndex"] = side.Live == PolicyWalkOutcome.Allowed ? side.AllowedBy?.Rule.Rule : null,
        ["portIndex"] = side.Live == PolicyWalkOutcome.Allowed ? side.AllowedBy?.PortIndex : null,
        ["plan"] = side.PlanAllows ? "allowed" : "denied",
        ["agrees"] = side.Agrees,
        ["text"] = side.ToString(),
        ["decision"] = side.Decision is { } decision ? DecisionJson.Of(TierDecision.Of(decision)) : null,
        ["counter"] = side.DecidedBy is { } rule ? Counter(node, rule.Rule, counter) : null,
    };

    private static JsonObject Counter(string node, ClusterRuleId rule, Func<string, ClusterRuleId, ClusterRuleCount?>? counter) =>
        counter?.Invoke(node, rule) is { } read
            ? new JsonObject { ["name"] = read.Counter, ["node"] = node, ["packets"] = read.Packets, ["bytes"] = read.Bytes }
            : new JsonObject { ["name"] = PolicyCounterNames.Of(rule), ["node"] = node, ["packets"] = null, ["bytes"] = null };
}
