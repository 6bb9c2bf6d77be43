using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Lab.Labs;

namespace Maille.Lab.Api;

/// <summary>
/// <c>GET /apis/maille.dev/v1alpha1/nodeagents</c>: each node agent's state (running or stopped, syncs, last sync
/// latency, last error) and what each of its data-plane parts reports (rule and element counts, apply time, ...).
/// </summary>
internal static class NodeAgentsResource
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

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
            ["parts"] = new JsonObject(a.Parts.Select(p => KeyValuePair.Create(p.Name, JsonSerializer.SerializeToNode(p.Status, p.Status.GetType(), Options)))),
        })]),
    };
}
