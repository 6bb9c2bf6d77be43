using System.Text.Json.Nodes;
using Maille.Engine.Flows;
using Maille.Kube.Tables;
using Maille.Kube.Views;
using Maille.Lab.Probing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Maille.Lab.Api;

public sealed partial class LabApiServer
{
    /// <summary>
    /// The reads <c>maille get/describe/trace/probe --lab</c> make, computed here from the one plan the daemon runs
    /// (the one its API serves and its node agents applied), never planned again by the CLI: the CLI prints what comes
    /// back, a <c>View</c> (<c>stdout</c>, <c>stderr</c>, <c>exitCode</c>), exactly as it prints the same read offline.
    /// </summary>
    private void MapViews(WebApplication app)
    {
        app.MapGet($"/apis/{MailleGroup}/views/get", (HttpContext http) =>
        {
            var query = http.Request.Query;
            if (!ResourceKinds.TryParse(query["resource"].ToString(), out var resource) || !TryOutput(query, ["", "wide", "json", "yaml"], out var output))
            {
                return Status(http, 400, "BadRequest", "a get view is ?resource=KIND[&name=NAME][&namespace=NS][&allNamespaces=true][&output=wide|json|yaml]");
            }

            var snapshot = store.Snapshot;
            var request = new GetRequest(resource, Name(query), Namespace(query), AllNamespaces(query), output) { Programmed = true, Restarts = snapshot.Facts.Restarts };
            var cluster = snapshot.Cluster;
            var counters = resource == ResourceKind.NetworkPolicies && output == "wide";
            return View(http, ViewText.Capture((stdout, stderr) => GetView.Write(cluster, request, counters ? Counters(stderr) : null, TimeProvider.System, stdout, stderr)));
        });
        app.MapGet($"/apis/{MailleGroup}/views/describe", (HttpContext http) =>
        {
            var query = http.Request.Query;
            if (!ResourceKinds.TryParse(query["resource"].ToString(), out var resource) || resource is not (ResourceKind.NetworkPolicies or ResourceKind.Pods))
            {
                return Status(http, 400, "BadRequest", "a describe view is ?resource=networkpolicies|pods[&name=NAME][&namespace=NS][&allNamespaces=true]");
            }

            var (cluster, _) = store.Current;
            return resource == ResourceKind.Pods
                ? View(http, ViewText.Capture((stdout, stderr) => DescribeView.WritePods(cluster, Name(query), Namespace(query), AllNamespaces(query), pod => controller?.MeshCertificate(pod), TimeProvider.System, stdout, stderr)))
                : View(http, ViewText.Capture((stdout, stderr) => DescribeView.Write(cluster, Name(query), Namespace(query), AllNamespaces(query), () => Counters(stderr), stdout, stderr)));
        });
        app.MapGet($"/apis/{MailleGroup}/views/trace", (HttpContext http) =>
        {
            var query = http.Request.Query;
            if (query["from"].ToString() is not { Length: > 0 } from || query["to"].ToString() is not { Length: > 0 } to || !TryOutput(query, ["", "json"], out var output))
            {
                return Status(http, 400, "BadRequest", "a trace view is ?from=SOURCE&to=TARGET[&output=json]");
            }

            var (cluster, _) = store.Current;
            var live = new LiveWalk((source, target, predicted) => LiveTrace.Query(Controller.Agents, cluster, source, target, predicted, Controller.MeshDecision), LiveTrace.WriteText);
            return View(http, ViewText.Capture((stdout, stderr) => TraceView.Write(cluster, from, to, output == "json", live, stdout, stderr)));
        });
        app.MapPost($"/apis/{MailleGroup}/views/probe", async (HttpContext http) =>
        {
            var request = ProbeRequestJson.Parse(await Body(http));
            if (request is null)
            {
                await Status(http, 400, "BadRequest", ProbeRequestJson.Shape);
                return;
            }

            var (cluster, _) = store.Current;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await ProbeView.WriteAsync(cluster, Controller.Lab, Controller.StoppedNodes, request, stdout, stderr, http.RequestAborted);
            await View(http, new ViewText(stdout.ToString(), stderr.ToString(), code));
        });
        app.MapPost($"/apis/{MailleGroup}/views/impact", Impact);
    }

    /// <summary>
    /// <c>maille apply --dry-run=impact</c>: the body's objects merged into the lab as <c>maille apply</c> would merge them,
    /// planned as a dry run (nothing kept or programmed), and the difference between the plan the lab runs and that one,
    /// with the seen flows (each node's conntrack table; with <c>sinceSeconds</c>, also the new connections the nodes
    /// reported in that window) the change would cut. Exit code 0 (no difference), 1 (a
    /// difference) or 2 (the change does not plan: nothing was compared).
    /// </summary>
    private async Task Impact(HttpContext http)
    {
        if (!TryOutput(http.Request.Query, ["", "json"], out var output))
        {
            await Status(http, 400, "BadRequest", "an impact view is a POST of the objects to apply [?output=json][&sinceSeconds=N]");
            return;
        }

        TimeSpan? since = null;
        if (http.Request.Query["sinceSeconds"].ToString() is { Length: > 0 } sinceText)
        {
            if (!int.TryParse(sinceText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            {
                await Status(http, 400, "BadRequest", $"sinceSeconds must be a whole number of seconds, at least 1 (not '{sinceText}')");
                return;
            }

            if (Flows is null)
            {
                await Status(http, 503, "ServiceUnavailable", "this lab does not read its nodes' flows, so it cannot tell which flows it saw lately; ask without sinceSeconds for the connections tracked now");
                return;
            }

            since = TimeSpan.FromSeconds(seconds);
        }

        if (await Documents(http) is not { } documents)
        {
            return;
        }

        // The lab's plan is read under the same gate the dry run plans under, so the two are one change apart.
        Engine.ClusterState? current = null;
        var result = await Controller.ChangeAsync(
            m =>
            {
                current = Controller.Published;
                return m.Apply(RefusingTerminating(m, documents), TimeProvider.System.GetUtcNow());
            },
            http.RequestAborted,
            dryRun: true);
        if (!result.Succeeded || result.DryRun is not { } candidate || current is null)
        {
            var errors = string.Concat(result.Errors.Select(e => $"error: {e}\n"));
            await View(http, new ViewText("", errors + "error: the change does not plan; nothing was compared, nothing was applied\n", 2));
            return;
        }

        IRecentFlows source = new Policy.ConntrackRecentFlows(Controller.Network, [.. current.Nodes.Select(n => n.Name)]);
        if (since is { } window && Flows is { } observed)
        {
            source = new Observe.ObservedRecentFlows(source, observed.Recent(), observed.HistoryCapacity, window, TimeProvider.System.GetUtcNow());
        }

        var read = source.Read();
        var flows = new WhatIfFlows(Engine.Flows.FlowImpact.Judge(current, candidate, read.Flows), source.Window, read.Errors, Controller.FlushesDeniedConnections);
        var diff = Engine.NetworkPolicies.ReachabilityDiff.Compute(current, candidate);
        await View(http, ViewText.Capture((stdout, _) => WhatIfView.Write(diff, flows, output == "json", stdout)));
    }

    private static Task View(HttpContext http, ViewText view) => Json(http, 200, new JsonObject
    {
        ["kind"] = "View",
        ["apiVersion"] = MailleGroup,
        ["stdout"] = view.Stdout,
        ["stderr"] = view.Stderr,
        ["exitCode"] = view.ExitCode,
    });

    /// <summary>Every policy rule's counter summed over the node agents; a node that cannot be read is said on stderr and left out.</summary>
    private RuleCounters Counters(TextWriter stderr)
    {
        var (totals, errors) = PolicyCountersResource.Totals(Controller.Agents.Values);
        foreach (var error in errors)
        {
            stderr.WriteLine($"warning: policy counters of {error} are left out");
        }

        return PolicyCountersResource.Counters(totals);
    }

    private static string? Name(IQueryCollection query) => query["name"].ToString() is { Length: > 0 } name ? name : null;

    private static string Namespace(IQueryCollection query) => query["namespace"].ToString() is { Length: > 0 } ns ? ns : "default";

    private static bool AllNamespaces(IQueryCollection query) => query["allNamespaces"].ToString() == "true";

    private static bool TryOutput(IQueryCollection query, string[] allowed, out string output)
    {
        output = query["output"].ToString();
        return allowed.Contains(output, StringComparer.Ordinal);
    }
}
