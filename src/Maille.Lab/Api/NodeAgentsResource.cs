using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Dataplane.Nftables;
using Maille.Lab.NodeAgents;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

/// <summary>
/// <c>GET /apis/maille.dev/v1alpha1/nodeagents</c>: each node agent's state (running or stopped, syncs, last sync
/// latency, last error) and what each of its data-plane parts reports (rule and element counts, apply time, ...).
/// </summary>
internal static class NodeAgentsResource
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>What a Service proxy that has not synced yet holds.</summary>
    private static readonly NftRuleset EmptyServiceTable = new(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table, Model.EquatableArray<NftSet>.Empty, Model.EquatableArray<NftChain>.Empty);

    public static JsonObject Render(IEnumerable<NodeAgent> agents) => new()
    {
        ["kind"] = "NodeAgentList",
        ["apiVersion"] = LabApiServer.MailleGroup,
        ["items"] = new JsonArray([.. agents.OrderBy(a => a.Node, StringComparer.Ordinal).Select(a => (JsonNode)new JsonObject
        {
            ["node"] = a.Node,
            ["running"] = a.Running,
            ["syncs"] = a.Status.Syncs,
            ["lastSyncMilliseconds"] = a.Status.LastSyncMilliseconds,
            ["lastError"] = a.Status.LastError,
            ["parts"] = new JsonObject(a.Runners.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)Part(r.Status)))),
        })]),
    };

    /// <summary>
    /// One part's status: the runner's fields, the part's own counts beside them, and the names the part used before
    /// (public JSON: fields are added, never renamed or removed).
    /// </summary>
    public static JsonObject Part(NodePartStatus status)
    {
        var json = JsonSerializer.SerializeToNode(status, Options)!.AsObject();
        json.Remove("details");
        foreach (var (name, value) in JsonSerializer.SerializeToNode(status.Details, status.Details.GetType(), Options)!.AsObject().ToList())
        {
            json[name] = value?.DeepClone();
        }

        foreach (var (name, value) in status.Details.EarlierFields(status))
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>
    /// <c>GET …/nodeagents/{node}/trace?source=IP&amp;destination=IP&amp;protocol=tcp&amp;port=N&amp;ingress=pod|node|underlay</c>:
    /// a connection's first packet walked through the rules the node's Service proxy last applied (the chain and rule
    /// that decided, every possible endpoint and its masquerade), then, for each endpoint, through the policy tables of
    /// the nodes that judge it (<c>policy</c>, see <see cref="PolicyWalkJson"/>).
    /// </summary>
    public static JsonObject Trace(NodeAgent agent, IReadOnlyDictionary<string, NodeAgent> agents, IQueryCollection query)
    {
        if (!IPAddress.TryParse(query["source"], out var source) || !IPAddress.TryParse(query["destination"], out var destination)
            || !int.TryParse(query["port"], System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return new JsonObject { ["error"] = "needs source, destination, protocol and port, on a node with a Service proxy" };
        }

        return Trace(agent, agents, source, destination, query["protocol"].ToString() is { Length: > 0 } p ? p : "tcp", port, query["ingress"].ToString());
    }

    /// <param name="entry">How the packet reaches the node: <c>pod</c> (from a pod), <c>node</c> (from the node itself) or <c>underlay</c> (from outside).</param>
    public static JsonObject Trace(NodeAgent agent, IReadOnlyDictionary<string, NodeAgent> agents, IPAddress source, IPAddress destination, string protocol, int port, string entry)
    {
        if (agent.Services is null)
        {
            return new JsonObject { ["error"] = "needs source, destination, protocol and port, on a node with a Service proxy" };
        }

        var ingress = entry switch
        {
            "node" => NftIngress.NodeLocal,
            "underlay" => NftIngress.Underlay,
            _ => NftIngress.Pod,
        };
        var result = new NftPacketTracer(agent.Services.Applied?.Ruleset ?? EmptyServiceTable).Trace(new NftTracePacket(source, destination, protocol, port, ingress));
        JsonArray policy;
        string? policyError = null;
        try
        {
            policy = PolicyWalkJson.Render(agents, agent.Node, ingress, source, destination, protocol, port, result);
        }
        catch (ArgumentException e)
        {
            // A protocol the policy tables do not judge (NetworkPolicy v1 knows TCP, UDP and SCTP): the Service walk still stands.
            (policy, policyError) = ([], e.Message);
        }

        return new JsonObject
        {
            ["node"] = agent.Node,
            ["table"] = "ip maille-svc",
            ["verdict"] = result.Verdict.ToString().ToLowerInvariant(),
            ["decision"] = result.Decision?.ToString(),
            ["steps"] = new JsonArray([.. result.Steps.Select(s => (JsonNode)JsonValue.Create(s.ToString()))]),
            ["targets"] = new JsonArray([.. result.Targets.Select(t => (JsonNode)JsonValue.Create(t.ToString()))]),
            ["policy"] = policy,
            ["policyError"] = policyError,
        };
    }
}
