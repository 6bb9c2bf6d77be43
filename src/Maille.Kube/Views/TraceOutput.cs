using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Engine.Trace;

namespace Maille.Kube.Views;

/// <summary>Prints a trace as plain sentences, one hop per line, or as the JSON the issue specifies.</summary>
internal static class TraceOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>One hop; a policy hop adds <c>decision</c> (tier, priority, policy, rule), other hops keep their fields.</summary>
    private static JsonNode Hop(TraceHop h)
    {
        var hop = new JsonObject
        {
            ["stage"] = h.Stage,
            ["node"] = h.Node,
            ["result"] = h.Result,
            ["detail"] = h.Detail,
            ["rule"] = h.Rule,
            ["endpoint"] = h.Endpoint,
        };
        if (h.Decision is { } decision)
        {
            hop["decision"] = DecisionJson.Of(decision);
        }
        else if (h.Mesh is { } mesh)
        {
            hop["decision"] = MeshJson.Of(mesh);
        }

        return hop;
    }

    public static void WriteText(TextWriter writer, TraceSource source, TraceTarget target, TraceResult result)
    {
        writer.WriteLine($"Trace from {source.Name} to {target.Text}");
        writer.WriteLine();
        string? endpoint = null;
        foreach (var hop in result.Hops)
        {
            if (hop.Endpoint != endpoint && hop.Endpoint is not null)
            {
                endpoint = hop.Endpoint;
                writer.WriteLine($"  endpoint {endpoint}:");
            }

            var indent = hop.Endpoint is null ? "  " : "    ";
            var where = hop.Node is null ? "" : $" [{hop.Node}]";
            writer.WriteLine($"{indent}{Title(hop.Stage)}{where}: {hop.Result}");
            writer.WriteLine($"{indent}  {hop.Detail}");
        }

        writer.WriteLine();
        writer.WriteLine($"Verdict: {result.Verdict.ToUpperInvariant()} ({result.Reason})");
        foreach (var e in result.Endpoints)
        {
            var why = e.DecidedBy.Count == 0 ? "no NetworkPolicy applies" : string.Join("; ", e.DecidedBy);
            writer.WriteLine($"  {e.Pod ?? e.Ip} {e.Ip}:{e.Port}/{e.Protocol}: {e.Verdict} ({why})");
        }
    }

    /// <param name="nftables">On a running lab, what the entry node's nftables rules did (added as <c>nftables</c>).</param>
    public static void WriteJson(TextWriter writer, TraceResult result, JsonNode? nftables = null)
    {
        var json = new JsonObject
        {
            ["verdict"] = result.Verdict,
            ["reason"] = result.Reason,
        };
        if (result.ThroughIngress)
        {
            json["ingress"] = result.Ingress is { } ingress
                ? new JsonObject
                {
                    ["ingress"] = ingress.Ingress,
                    ["host"] = ingress.Host,
                    ["path"] = ingress.Path,
                    ["pathType"] = ingress.PathType,
                    ["service"] = ingress.Service,
                    ["port"] = ingress.Port,
                }
                : null;
        }

        json["hops"] = new JsonArray([.. result.Hops.Select(Hop)]);
        json["endpoints"] = new JsonArray([.. result.Endpoints.Select(e => (JsonNode)new JsonObject
        {
            ["pod"] = e.Pod,
            ["ip"] = e.Ip,
            ["port"] = e.Port,
            ["protocol"] = e.Protocol.ToString(),
            ["verdict"] = e.Verdict,
            ["decidedBy"] = new JsonArray([.. e.DecidedBy.Select(d => (JsonNode)JsonValue.Create(d)!)]),
        })]);
        if (nftables is not null)
        {
            json["nftables"] = nftables.DeepClone();
        }

        writer.WriteLine(json.ToJsonString(Indented));
    }

    private static string Title(string stage) => stage switch
    {
        "dns" => "DNS",
        "controller" => "Ingress controller",
        "tls" => "TLS",
        "ingress" => "Ingress",
        "service" => "Service",
        "node" => "Path",
        "mesh-source" => "Mesh: source node proxy",
        "hbone" => "Mesh: HBONE",
        "mesh-destination" => "Mesh: destination node proxy",
        "egress-policy" => "Egress policy (source side)",
        "ingress-policy" => "Ingress policy (destination side)",
        "delivery" => "Delivery",
        _ => stage,
    };
}
