using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Gateways;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille trace --to http(s)://HOST[:PORT]/PATH[?QUERY] [--method M] [--header 'K: V']… [--via NS/GATEWAY]</c>: a
/// request through one of Maille's Gateways, decided by the same route table the proxy will use
/// (<see cref="GatewayRouteTable.Match"/>). The JSON has a <c>gateway</c> object (a contract): gateway, listener,
/// route, rule, backends, status and reason. Without <c>--via</c> the Gateway is the one whose address is the URL's
/// host, else the only one with a listener for the URL's port, scheme and host.
/// </summary>
public static class GatewayTraceView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Write(ClusterState cluster, string to, string method, IReadOnlyList<string> headers, string? via, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!Uri.TryCreate(to, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine($"error: --to {to}: expected http(s)://HOST[:PORT]/PATH[?QUERY]");
            return 1;
        }

        if (ParseHeaders(headers, stderr) is not { } parsedHeaders)
        {
            return 1;
        }

        var request = RequestOf(url, method, parsedHeaders);
        var plan = GatewayController.Build(cluster);
        GatewayRouteTable? table;
        if (via is not null)
        {
            if (!plan.Tables.TryGetValue(via, out table))
            {
                stderr.WriteLine($"error: --via {via}: no Gateway of Maille's GatewayClass by that name (`maille get gateways -A -f …` lists them)");
                return 1;
            }
        }
        else
        {
            var byAddress = plan.Gateways.Where(g => g.Addresses.Contains(url.Host)).Select(g => plan.Tables[g.QualifiedName]).ToList();
            var candidates = byAddress.Count > 0 ? byAddress : [.. plan.Tables.Values.Where(t => t.Match(request).Listener is not null)];
            if (candidates.Count != 1)
            {
                stderr.WriteLine(candidates.Count == 0
                    ? $"error: no Gateway of Maille's GatewayClass has a listener for {url.Scheme} on port {url.Port} and host {url.Host}"
                    : $"error: several Gateways could serve {to} ({string.Join(", ", candidates.Select(c => c.Gateway))}): choose one with --via NS/GATEWAY");
                return 1;
            }

            table = candidates[0];
        }

        var decision = table.Match(request);
        if (json)
        {
            stdout.WriteLine(new JsonObject { ["gateway"] = ToJson(decision) }.ToJsonString(Indented));
        }
        else
        {
            WriteText(stdout, request, decision);
        }

        return 0;
    }

    /// <summary>The request a URL, <c>--method</c> and the parsed headers describe (the Host is the URL's host, without port).</summary>
    internal static GatewayRequest RequestOf(Uri url, string method, IReadOnlyList<KeyValuePair<string, string>> headers) => new()
    {
        Scheme = url.Scheme,
        Host = url.Host,
        Port = url.Port,
        Path = url.AbsolutePath,
        Query = url.Query.TrimStart('?'),
        Method = method.ToUpperInvariant(),
        Headers = headers,
    };

    /// <summary>The <c>--header 'NAME: VALUE'</c> options as pairs; null (with the error written) when one has no name.</summary>
    internal static List<KeyValuePair<string, string>>? ParseHeaders(IReadOnlyList<string> headers, TextWriter stderr)
    {
        var parsed = new List<KeyValuePair<string, string>>();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                stderr.WriteLine($"error: --header {header}: expected 'NAME: VALUE'");
                return null;
            }

            parsed.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        return parsed;
    }

    /// <summary>The contract's <c>gateway</c> object.</summary>
    public static JsonObject ToJson(GatewayDecision decision) => new()
    {
        ["gateway"] = decision.Gateway,
        ["listener"] = decision.Listener,
        ["route"] = decision.Route,
        ["rule"] = decision.Rule,
        ["backends"] = new JsonArray([.. decision.Backends.Select(b => (JsonNode)new JsonObject { ["service"] = b.Service, ["port"] = b.Port, ["weight"] = b.Weight })]),
        ["status"] = decision.Status,
        ["reason"] = decision.Reason,
    };

    private static void WriteText(TextWriter stdout, GatewayRequest request, GatewayDecision decision)
    {
        stdout.WriteLine($"{request.Method} {request.Scheme}://{request.Host}:{request.EffectivePort.ToString(CultureInfo.InvariantCulture)}{request.Path}{(request.Query.Length > 0 ? "?" + request.Query : "")}");
        stdout.WriteLine($"  gateway   {decision.Gateway}, listener {decision.Listener ?? "(none)"}");
        stdout.WriteLine($"  route     {(decision.Route is null ? "(none)" : $"{decision.RouteKind} {decision.Route} rule {decision.Rule}")}");
        foreach (var backend in decision.Backends)
        {
            stdout.WriteLine($"  backend   {backend.Service}:{backend.Port.ToString(CultureInfo.InvariantCulture)} weight {backend.Weight.ToString(CultureInfo.InvariantCulture)}: {backend.Status.ToString(CultureInfo.InvariantCulture)} ({backend.Reason})");
        }

        if (decision.Location is not null)
        {
            stdout.WriteLine($"  redirect  {decision.Location}");
        }

        stdout.WriteLine($"  status    {decision.Status.ToString(CultureInfo.InvariantCulture)}: {decision.Reason}");
    }
}
