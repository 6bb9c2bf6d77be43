using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>A <see cref="ProbeRequest"/> as the CLI sends it to the daemon, and read back there.</summary>
public static class ProbeRequestJson
{
    public const string Shape = "a probe view is {\"ports\": [\"PORT/PROTO\"...], \"namespace\": NS or null, \"timeoutMilliseconds\": N, \"sample\": {\"pairs\": N, \"seed\": S} or null, \"output\": \"table\" or \"json\"}";

    public static string Write(ProbeRequest request) => new JsonObject
    {
        ["ports"] = new JsonArray([.. request.Ports.Select(p => (JsonNode)p.ToString())]),
        ["namespace"] = request.Namespace,
        ["timeoutMilliseconds"] = (long)request.Timeout.TotalMilliseconds,
        ["sample"] = request.Sample is { } sample ? new JsonObject { ["pairs"] = sample.Pairs, ["seed"] = sample.Seed } : null,
        ["output"] = request.Json ? "json" : "table",
    }.ToJsonString();

    /// <summary>The request, or null when the body is not one.</summary>
    public static ProbeRequest? Parse(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject json || json["ports"] is not JsonArray ports || json["timeoutMilliseconds"] is not JsonValue timeout
                || !timeout.TryGetValue<long>(out var milliseconds) || milliseconds is < 1 or > 600_000)
            {
                return null;
            }

            var parsed = new List<PortProtocol>();
            foreach (var port in ports)
            {
                if (port is not JsonValue text || !text.TryGetValue<string>(out var value) || !PortProtocol.TryParse(value, out var protocol))
                {
                    return null;
                }

                parsed.Add(protocol);
            }

            ProbeSample? sample = null;
            if (json["sample"] is JsonObject drawn)
            {
                if (drawn["pairs"] is not JsonValue pairs || !pairs.TryGetValue<int>(out var count) || count < 1 || drawn["seed"] is not JsonValue seed || !seed.TryGetValue<int>(out var value))
                {
                    return null;
                }

                sample = new ProbeSample(count, value);
            }
            else if (json["sample"] is not null)
            {
                return null;
            }

            var ns = json["namespace"] is JsonValue name && name.TryGetValue<string>(out var n) ? n : null;
            if (json["namespace"] is not null && ns is null)
            {
                return null;
            }

            return new ProbeRequest(parsed, ns, TimeSpan.FromMilliseconds(milliseconds), sample, (string?)json["output"] == "json");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
