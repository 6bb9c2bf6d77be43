using System.Text;
using Maille.Lab.Observe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>The lab's flow observer (<c>maille observe</c>), when the daemon runs one.</summary>
    public FlowObserver? Flows { get; init; }

    /// <summary>
    /// <c>GET /apis/maille.dev/v1alpha1/flows[?from=…][&amp;to=…][&amp;verdict=allowed|dropped|all][&amp;follow=true]</c>:
    /// one JSON object per line (<see cref="FlowJson"/>): first an <c>Error</c> line per node whose kernel cannot be read,
    /// then the recent flows and losses the daemon keeps, and the answer ends; with <c>follow=true</c>, instead, every
    /// flow from now on as it is seen, until the client goes away or the daemon stops.
    /// </summary>
    private void MapFlows(WebApplication app)
    {
        app.MapGet($"/apis/{MailleGroup}/flows", async (HttpContext http) =>
        {
            var query = http.Request.Query;
            var verdict = query["verdict"].ToString() is { Length: > 0 } v ? v : "all";
            if (Flows is null || !FlowFilter.IsVerdict(verdict))
            {
                await Status(http, Flows is null ? 503 : 400, Flows is null ? "ServiceUnavailable" : "BadRequest", Flows is null
                    ? "this lab's daemon observes no flows"
                    : "flows are ?[from=POD|NS/|IP][&to=POD|SERVICE|NS/|IP][&verdict=allowed|dropped|all][&follow=true]");
                return;
            }

            var filter = new FlowFilter(NonEmpty(query["from"]), NonEmpty(query["to"]), verdict);
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/x-ndjson";
            try
            {
                await http.Response.StartAsync(ended.Token);
                foreach (var error in Flows.Errors)
                {
                    await http.Response.WriteAsync(System.Text.Json.Nodes.JsonValue.Create(error) is { } message ? $"{{\"kind\":\"Error\",\"message\":{message.ToJsonString()}}}\n" : "", ended.Token);
                }

                if (query["follow"].ToString() is not ("true" or "1"))
                {
                    var lines = new StringBuilder();
                    foreach (var item in Flows.Recent().Where(filter.Matches))
                    {
                        lines.Append(FlowJson.Line(item)).Append('\n');
                    }

                    await http.Response.WriteAsync(lines.ToString(), ended.Token);
                    return;
                }

                await http.Response.Body.FlushAsync(ended.Token);
                await foreach (var batch in Flows.FollowAsync(ended.Token))
                {
                    var lines = new StringBuilder();
                    foreach (var item in batch.Where(filter.Matches))
                    {
                        lines.Append(FlowJson.Line(item)).Append('\n');
                    }

                    if (lines.Length > 0)
                    {
                        await http.Response.WriteAsync(lines.ToString(), ended.Token);
                        await http.Response.Body.FlushAsync(ended.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away or the daemon is stopping.
            }
        });
    }

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } text ? text : null;
}
