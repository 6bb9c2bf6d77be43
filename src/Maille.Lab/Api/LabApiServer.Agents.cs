using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// <c>PUT /apis/maille.dev/v1alpha1/nodeagents/NODE/status</c>: a node agent process reports its status (a
    /// <c>NodeAgent</c> object whose <c>status</c> is what <c>maille status</c> shows). Only the node's own identity may
    /// (<see cref="LabAuthorizer"/>); the answer is the object as stored.
    /// </summary>
    private async Task ReportAgent(HttpContext http, string node)
    {
        if (!Controller.Agents.ContainsKey(node))
        {
            await Status(http, 404, "NotFound", $"nodeagents.maille.dev \"{node}\" not found");
            return;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await Body(http)) as JsonObject;
        }
        catch (JsonException e)
        {
            await Status(http, 400, "BadRequest", $"the NodeAgent report is not valid JSON: {e.Message}");
            return;
        }

        if (body?["status"] is not JsonObject status || body["metadata"]?["name"]?.GetValueKind() is not JsonValueKind.String || (string?)body["metadata"]!["name"] != node)
        {
            await Status(http, 422, "Invalid", $"NodeAgent \"{node}\" is invalid: metadata.name must be \"{node}\" and status an object");
            return;
        }

        Controller.AgentReports.Report(node, (JsonObject)status.DeepClone());
        await Json(http, 200, body);
    }
}
