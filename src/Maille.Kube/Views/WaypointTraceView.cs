using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Engine.Trace;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille trace --from NS/POD --to http://SVC.NS:PORT/PATH [--method M] [--header 'K: V']…</c> when the Service
/// uses a waypoint and the pod is in the mesh: the engine's <see cref="WaypointDecision"/> (which waypoint, its
/// authorization, the route and backends, the status it answers, the hop to the endpoint with the waypoint's
/// identity). The JSON keeps the trace's fields (<c>verdict</c>, <c>reason</c>, <c>hops</c>, <c>endpoints</c>) and adds
/// a <c>waypoint</c> object. Any other request is traced as before (<see cref="TraceView"/>).
/// </summary>
public static class WaypointTraceView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The trace through a waypoint, or null when the request does not go through one (the caller traces it as before).</summary>
    public static int? TryWrite(ClusterState cluster, string from, string to, string method, IReadOnlyList<string> headers, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!to.StartsWith("http://", StringComparison.Ordinal) || !Uri.TryCreate(to, UriKind.Absolute, out var url)
            || !cluster.PodsByName.TryGetValue(from, out var source)
            || TraceTarget.TryParse($"{url.Host}:{url.Port.ToString(CultureInfo.InvariantCulture)}", cluster.Config.DnsDomain, out _, source.Namespace) is not { ServiceName: { } name, Namespace: { } ns }
            || !cluster.ServicesByName.TryGetValue($"{ns}/{name}", out var service))
        {
            return null;
        }

        if (GatewayTraceView.ParseHeaders(headers, stderr) is not { } parsedHeaders)
        {
            return 1;
        }

        // The Host header a client sends, with the port: the waypoint's hosts rules see it so.
        var request = GatewayTraceView.RequestOf(url, method, parsedHeaders) with { Host = url.Authority };
        var (decision, _) = WaypointRouter.For(cluster).Decide(source, service, url.Port, request);
        if (decision is null)
        {
            return null;
        }

        var hops = Hops(source.QualifiedName, decision);
        var verdict = decision.Status is >= 200 and < 400 ? TraceResult.Allowed : TraceResult.Denied;
        var reason = $"the waypoint answers {decision.Status.ToString(CultureInfo.InvariantCulture)}: {decision.Reason}";
        if (json)
        {
            stdout.WriteLine(new JsonObject
            {
                ["verdict"] = verdict,
                ["reason"] = reason,
                ["waypoint"] = ToJson(decision),
                ["hops"] = new JsonArray([.. hops.Select(h => (JsonNode)new JsonObject
                {
                    ["stage"] = h.Stage,
                    ["node"] = null,
                    ["result"] = h.Result,
                    ["detail"] = h.Detail,
                    ["rule"] = h.Rule,
                    ["endpoint"] = h.Endpoint,
                })]),
                ["endpoints"] = new JsonArray(decision.Endpoint is { } e
                    ? [new JsonObject
                    {
                        ["pod"] = e.Pod,
                        ["ip"] = e.Address.ToString(),
                        ["port"] = e.Port,
                        ["protocol"] = "TCP",
                        ["verdict"] = verdict,
                        ["decidedBy"] = new JsonArray([JsonValue.Create(decision.Reason)]),
                    }]
                    : []),
            }.ToJsonString(Indented));
            return 0;
        }

        stdout.WriteLine($"Trace from {source.QualifiedName} to {request.Method} {to}");
        stdout.WriteLine();
        foreach (var hop in hops)
        {
            stdout.WriteLine($"  {hop.Title}: {hop.Result}");
            stdout.WriteLine($"    {hop.Detail}");
        }

        stdout.WriteLine();
        stdout.WriteLine($"Verdict: {verdict.ToUpperInvariant()} ({reason})");
        return 0;
    }

    /// <summary>The <c>waypoint</c> object (a contract).</summary>
    public static JsonObject ToJson(WaypointDecision decision) => new()
    {
        ["waypoint"] = decision.Waypoint.QualifiedName,
        ["identity"] = decision.Waypoint.Identity,
        ["boundBy"] = decision.BoundBy,
        ["service"] = decision.Service,
        ["port"] = decision.Port,
        ["authorization"] = new JsonObject
        {
            ["allowed"] = decision.Authorization.Allowed,
            ["outcome"] = decision.Authorization.Outcome.ToString(),
            ["policy"] = decision.Authorization.DecidedBy?.Policy,
            ["rule"] = decision.Authorization.DecidedBy?.Rule,
            ["action"] = decision.Authorization.DecidedBy?.ActionText,
            ["allowPolicies"] = new JsonArray([.. decision.Authorization.AllowPolicies.Select(p => (JsonNode)JsonValue.Create(p)!)]),
        },
        ["route"] = decision.Route?.Route,
        ["rule"] = decision.Route?.Rule,
        ["backends"] = new JsonArray([.. decision.Backends.Select(b => (JsonNode)new JsonObject { ["service"] = b.Service, ["port"] = b.Port, ["weight"] = b.Weight })]),
        ["backend"] = decision.Backend?.Service,
        ["timeout"] = (decision.Route?.RequestTimeout ?? decision.Route?.BackendRequestTimeout)?.TotalSeconds,
        ["status"] = decision.Status,
        ["reason"] = decision.Reason,
        ["endpoint"] = decision.Endpoint is { } e ? new JsonObject { ["pod"] = e.Pod, ["ip"] = e.Address.ToString(), ["port"] = e.Port } : null,
        ["hop"] = decision.Hop is { } hop ? MeshJson.Of(hop) : null,
    };

    private sealed record Hop(string Stage, string Title, string Result, string Detail, string? Rule = null, string? Endpoint = null);

    private static List<Hop> Hops(string source, WaypointDecision decision)
    {
        var waypoint = decision.Waypoint;
        var authorization = decision.Authorization;
        var hops = new List<Hop>
        {
            new("waypoint", "Waypoint", "bound", $"Service {decision.Service} uses waypoint {waypoint.QualifiedName} ({decision.BoundBy})"),
            new("mesh-source", "Mesh: source node proxy", "captured",
                $"the node proxy of {source} sends the request to waypoint {waypoint.QualifiedName} over HBONE (mTLS on port 15008), presenting {source}'s identity"),
            new("waypoint-authorization", "Waypoint: authorization", authorization.Allowed ? "allowed" : "denied", authorization.ToString(), authorization.DecidedBy?.ToString()),
        };
        if (!authorization.Allowed)
        {
            return hops;
        }

        hops.Add(new("waypoint-route", "Waypoint: route", decision.Route is null ? "to the Service" : "matched",
            string.Join(", ", decision.Backends.Select(b => $"{b.Service}:{b.Port.ToString(CultureInfo.InvariantCulture)} weight {b.Weight.ToString(CultureInfo.InvariantCulture)}"))
                + $"; {decision.Status.ToString(CultureInfo.InvariantCulture)}: {decision.Reason}",
            decision.Route is { } route ? $"{route.RouteKind} {route.Route} rule {route.Rule?.ToString(CultureInfo.InvariantCulture)}" : null));
        if (decision.Endpoint is { } endpoint)
        {
            hops.Add(new("mesh-destination", "Mesh: destination node proxy", decision.Hop is { Allowed: false } ? "denied" : "allowed",
                decision.Hop is { } hop
                    ? $"the waypoint connects to {endpoint} over HBONE as {waypoint.Identity}: {hop}"
                    : $"the waypoint connects to {endpoint}",
                decision.Hop?.DecidedBy?.ToString(),
                endpoint.Pod));
        }

        return hops;
    }
}
