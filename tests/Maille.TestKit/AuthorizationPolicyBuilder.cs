using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Writes an Istio AuthorizationPolicy (<c>security.istio.io/v1</c>) from C#: the action, an optional selector, then
/// rules in order, each with sources (<see cref="Source(string, string[])"/>) and operations
/// (<see cref="Operation(string, string[])"/>). <see cref="Yaml"/> is the manifest (indented JSON, one field per line);
/// <see cref="Build"/> reads it back through the manifest loader.
/// </summary>
internal sealed class AuthorizationPolicyBuilder
{
    private readonly JsonObject _spec;
    private readonly string _namespace;
    private readonly string _name;

    private AuthorizationPolicyBuilder(string ns, string name, string action)
    {
        _namespace = ns;
        _name = name;
        _spec = new JsonObject { ["action"] = action };
    }

    public static AuthorizationPolicyBuilder Allow(string ns, string name) => new(ns, name, "ALLOW");

    public static AuthorizationPolicyBuilder Deny(string ns, string name) => new(ns, name, "DENY");

    /// <summary>Only the workloads with these labels (without it: every workload of the namespace).</summary>
    public AuthorizationPolicyBuilder Selecting(params (string Key, string Value)[] labels)
    {
        _spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };
        return this;
    }

    /// <summary>Attached to a waypoint Gateway or a Service (<c>targetRefs</c>) instead of selecting workloads.</summary>
    public AuthorizationPolicyBuilder Targeting(string kind, string name)
    {
        if (_spec["targetRefs"] is not JsonArray targets)
        {
            _spec["targetRefs"] = targets = [];
        }

        targets.Add(new JsonObject { ["group"] = kind == "Gateway" ? GatewayApi.Group : "", ["kind"] = kind, ["name"] = name });
        return this;
    }

    /// <summary>A rule: it matches when one of <paramref name="from"/> (or none given) and one of <paramref name="to"/> (or none given) match.</summary>
    public AuthorizationPolicyBuilder Rule(JsonObject[]? from = null, JsonObject[]? to = null)
    {
        var rule = new JsonObject();
        if (from is not null)
        {
            rule["from"] = new JsonArray([.. from.Select(s => (JsonNode)new JsonObject { ["source"] = s.DeepClone() })]);
        }

        if (to is not null)
        {
            rule["to"] = new JsonArray([.. to.Select(o => (JsonNode)new JsonObject { ["operation"] = o.DeepClone() })]);
        }

        if (_spec["rules"] is not JsonArray rules)
        {
            _spec["rules"] = rules = [];
        }

        rules.Add(rule);
        return this;
    }

    /// <summary>Sets (or replaces) a raw field of the spec, for validation tests.</summary>
    public AuthorizationPolicyBuilder With(string field, JsonNode? value)
    {
        _spec[field] = value;
        return this;
    }

    public string Yaml() => new JsonObject
    {
        ["apiVersion"] = MeshApi.Version,
        ["kind"] = MeshApi.AuthorizationPolicyKind,
        ["metadata"] = new JsonObject { ["name"] = _name, ["namespace"] = _namespace },
        ["spec"] = _spec.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>The model the manifest loader reads from <see cref="Yaml"/> (which must be valid).</summary>
    public AuthorizationPolicy Build()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("authz.yaml", Yaml())]);
        Assert.Empty(diagnostics.Where(d => d.IsError));
        return Assert.Single(manifests.AuthorizationPolicies);
    }

    /// <summary>A source with one field, e.g. <c>Source("principals", "cluster.local/ns/x/sa/a")</c>.</summary>
    public static JsonObject Source(string field, params string[] values) => Source((field, values));

    /// <summary>A source whose fields must all match.</summary>
    public static JsonObject Source(params (string Field, string[] Values)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Field, (JsonNode?)new JsonArray([.. f.Values.Select(v => (JsonNode)v)]))));

    /// <summary>An operation with one field, e.g. <c>Operation("ports", "8080")</c>.</summary>
    public static JsonObject Operation(string field, params string[] values) => Source((field, values));

    /// <summary>An operation whose fields must all match.</summary>
    public static JsonObject Operation(params (string Field, string[] Values)[] fields) => Source(fields);
}
