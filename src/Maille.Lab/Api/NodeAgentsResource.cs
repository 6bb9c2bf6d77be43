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

    /// <summary>
    /// Every node's agent. Where the agent runs as a process (<paramref name="processes"/>), its parts are what it last
    /// reported (<paramref name="reports"/>), beside the process id and restarts; the parts the daemon still runs
    /// (the L2 announcer) come from the daemon.
    /// </summary>
    public static JsonObject Render(IEnumerable<NodeAgent> agents, Labs.LabAgentReports? reports = null, Labs.LabAgentProcesses? processes = null)
    {
        var supervised = processes?.Processes();
        return new JsonObject
        {
            ["kind"] = "NodeAgentList",
            ["apiVersion"] = LabApiServer.MailleGroup,
            ["items"] = new JsonArray([.. agents.OrderBy(a => a.Node, StringComparer.Ordinal).Select(a => (JsonNode)Item(a, reports?.Latest(a.Node), supervised?.GetValueOrDefault(a.Node)))]),
        };
    }

    private static JsonObject Item(NodeAgent agent, JsonObject? report, (int? Pid, int Restarts, string? LastExit)? process)
    {
        var parts = new JsonObject(agent.Runners.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)Part(r.Status))));
        var item = new JsonObject
        {
            // The object kubectl reads (`kubectl get nodeagents`): a cluster-scoped NodeAgent named after its node.
            ["apiVersion"] = LabApiServer.MailleGroup,
            ["kind"] = "NodeAgent",
            ["metadata"] = new JsonObject { ["name"] = agent.Node },
            ["node"] = agent.Node,
            ["running"] = agent.Running,
            ["syncs"] = agent.Status.Syncs,
            ["lastSyncMilliseconds"] = agent.Status.LastSyncMilliseconds,
            ["lastError"] = agent.Status.LastError,
        };
        if (process is { } p)
        {
            // Only the running process's own report counts: a restarted agent has not reported until it has synced.
            report = report?["process"]?.GetValue<int>() == p.Pid ? report : null;
            foreach (var (name, value) in (report?["parts"] as JsonObject ?? []).ToList())
            {
                parts[name] = value?.DeepClone();
            }

            item["syncs"] = agent.Status.Syncs + (report?["syncs"]?.GetValue<long>() ?? 0);
            item["lastError"] = string.Join("; ", new[] { agent.Status.LastError, report?["lastError"]?.GetValue<string>() }.Where(e => !string.IsNullOrEmpty(e)));
            item["process"] = new JsonObject
            {
                ["pid"] = p.Pid,
                ["restarts"] = p.Restarts,
                ["lastExit"] = p.LastExit,
                ["reported"] = report is not null,
                ["observedVersion"] = report?["observedVersion"]?.DeepClone(),
                ["repairs"] = report?["repairs"]?.DeepClone() ?? 0,
                ["watches"] = report?["watches"]?.DeepClone(),
                ["rejected"] = report?["rejected"]?.DeepClone(),
            };
        }

        item["parts"] = parts;
        return item;
    }

    /// <summary>
    /// <c>kubectl get nodeagents</c>' columns, the printer columns of the CRD a real cluster gets
    /// (<c>deploy/common/04-nodeagents-crd.yaml</c>) but AGE: NAME, RUNNING, SYNCS, REPAIRS and OBSERVED (the version the
    /// agent process has read; an agent in the daemon has none); <c>-o wide</c> adds LAST SYNC MS, PID, RESTARTS and
    /// LAST ERROR. <paramref name="list"/> is <see cref="Render"/>'s.
    /// </summary>
    public static JsonObject Table(JsonObject list, long resourceVersion, string? includeObject)
    {
        string[] headers = ["NAME", "RUNNING", "SYNCS", "REPAIRS", "OBSERVED", "LAST SYNC MS", "PID", "RESTARTS", "LAST ERROR"];
        var columns = new JsonArray([.. headers.Select((header, i) => (JsonNode)new JsonObject
        {
            ["name"] = header,
            ["type"] = "string",
            ["format"] = i == 0 ? "name" : "",
            ["description"] = "",
            ["priority"] = i < 5 ? 0 : 1,
        })]);
        var rows = list["items"]!.AsArray().Select(item => (JsonNode)TableResponse.Row(
            [
                (string)item!["node"]!,
                (bool)item["running"]! ? "true" : "false",
                Cell(item["syncs"]),
                Cell(item["process"]?["repairs"]),
                Cell(item["process"]?["observedVersion"]),
                Cell(item["lastSyncMilliseconds"]),
                Cell(item["process"]?["pid"]),
                Cell(item["process"]?["restarts"]),
                item["lastError"]?.GetValue<string>() is { Length: > 0 } error ? error : "<none>",
            ],
            () => item.AsObject(),
            includeObject));
        return TableResponse.Table(columns, new JsonArray([.. rows]), resourceVersion);
    }

    private static string Cell(JsonNode? value) => value?.ToJsonString() is { } text && text != "null" ? text.Trim('"') : "<none>";

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
    /// <param name="judgedPort">The port NetworkPolicy judges for a target (its address and port), when the mesh changes it (HBONE's 15008).</param>
    public static JsonObject Trace(NodeAgent agent, IReadOnlyDictionary<string, NodeAgent> agents, IPAddress source, IPAddress destination, string protocol, int port, string entry, Func<IPAddress, int, int>? judgedPort = null)
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
        // In the ebpf mode a pod's connection to a Service address is translated by the socket hooks, before any packet:
        // the maps say where it goes; the nftables table (which drops such addresses there) is not on its path. A
        // packet from outside the node meets the tc program on its interface first, which reads the nodeports map and
        // leaves what it does not hold (no endpoint anywhere, source-ranged LoadBalancer IPs) to nftables.
        var known = Enum.TryParse<Model.Protocol>(protocol, ignoreCase: true, out var parsed) ? parsed : (Model.Protocol?)null;
        var (ebpf, table) = (agent.SocketLoadBalancer, known) switch
        {
            ({ } balancer, { } p) when ingress == NftIngress.Pod => (balancer.Walk(destination, port, p), "ebpf socket LB maps"),
            ({ } balancer, { } p) when ingress == NftIngress.Underlay => (balancer.WalkFromOutside(destination, port, p), "ebpf tc maille_nodeport maps"),
            _ => (null, null),
        };
        if (ebpf is { IsService: true })
        {
            var decided = ebpf switch
            {
                { Refused: true } => new NftTraceResult(NftTraceVerdict.Rejected, Model.EquatableArray<NftTraceTarget>.Empty, Model.EquatableArray<NftTraceStep>.Empty, null),
                { Dropped: true } => new NftTraceResult(NftTraceVerdict.Dropped, Model.EquatableArray<NftTraceTarget>.Empty, Model.EquatableArray<NftTraceStep>.Empty, null),
                _ => new NftTraceResult(NftTraceVerdict.Translated, new Model.EquatableArray<NftTraceTarget>(ebpf.Backends.Select(b => new NftTraceTarget(b.Address, b.Port, ebpf.Masquerade is not null))), Model.EquatableArray<NftTraceStep>.Empty, null),
            };
            return Answer(agent, agents, source, destination, protocol, port, ingress, decided, judgedPort, table!, ebpf.Steps);
        }

        var result = new NftPacketTracer(agent.Services.Applied?.Ruleset ?? EmptyServiceTable).Trace(new NftTracePacket(source, destination, protocol, port, ingress));
        IReadOnlyList<string> steps = [.. ingress == NftIngress.Underlay ? ebpf?.Steps ?? [] : [], .. result.Steps.Select(s => s.ToString())];
        return Answer(agent, agents, source, destination, protocol, port, ingress, result, judgedPort, "ip maille-svc", steps);
    }

    private static JsonObject Answer(NodeAgent agent, IReadOnlyDictionary<string, NodeAgent> agents, IPAddress source, IPAddress destination, string protocol, int port, NftIngress ingress, NftTraceResult result, Func<IPAddress, int, int>? judgedPort, string table, IReadOnlyList<string> steps)
    {
        JsonArray policy;
        string? policyError = null;
        try
        {
            policy = PolicyWalkJson.Render(agents, agent.Node, ingress, source, destination, protocol, port, result, judgedPort);
        }
        catch (ArgumentException e)
        {
            // A protocol the policy tables do not judge (NetworkPolicy v1 knows TCP, UDP and SCTP): the Service walk still stands.
            (policy, policyError) = ([], e.Message);
        }

        return new JsonObject
        {
            ["node"] = agent.Node,
            ["table"] = table,
            ["verdict"] = result.Verdict.ToString().ToLowerInvariant(),
            ["decision"] = result.Decision?.ToString(),
            ["steps"] = new JsonArray([.. steps.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["targets"] = new JsonArray([.. result.Targets.Select(t => (JsonNode)JsonValue.Create(t.ToString()))]),
            ["policy"] = policy,
            ["policyError"] = policyError,
        };
    }
}
