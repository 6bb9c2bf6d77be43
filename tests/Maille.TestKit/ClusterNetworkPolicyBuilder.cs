using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Model;

namespace Maille.TestKit;

/// <summary>
/// Writes a ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) manifest from C#: tier and priority, a subject,
/// then rules in order. <see cref="Yaml"/> is the manifest (indented JSON, which YAML reads, one field per line so that
/// diagnostics name lines); <see cref="Build"/> reads it back through the manifest loader, so a test's model is what a
/// user's file would give.
/// </summary>
internal sealed class ClusterNetworkPolicyBuilder
{
    private readonly JsonObject _spec;
    private readonly string _name;

    private ClusterNetworkPolicyBuilder(string name, string tier, int priority)
    {
        _name = name;
        _spec = new JsonObject { ["tier"] = tier, ["priority"] = priority };
    }

    public static ClusterNetworkPolicyBuilder Admin(string name, int priority) => new(name, "Admin", priority);

    public static ClusterNetworkPolicyBuilder Baseline(string name, int priority) => new(name, "Baseline", priority);

    /// <summary>Every pod of the namespaces with these labels.</summary>
    public ClusterNetworkPolicyBuilder SubjectNamespaces(params (string Key, string Value)[] labels)
    {
        _spec["subject"] = new JsonObject { ["namespaces"] = Selector(labels) };
        return this;
    }

    /// <summary>The pods with <paramref name="podLabels"/> in namespaces with <paramref name="namespaceLabels"/>.</summary>
    public ClusterNetworkPolicyBuilder SubjectPods((string Key, string Value)[] namespaceLabels, (string Key, string Value)[] podLabels)
    {
        _spec["subject"] = new JsonObject { ["pods"] = PodsSelector(namespaceLabels, podLabels) };
        return this;
    }

    public ClusterNetworkPolicyBuilder Ingress(string? name, ClusterPolicyAction action, JsonObject[] from, params JsonObject[] protocols) =>
        Rule("ingress", "from", name, action, from, protocols);

    public ClusterNetworkPolicyBuilder Egress(string? name, ClusterPolicyAction action, JsonObject[] to, params JsonObject[] protocols) =>
        Rule("egress", "to", name, action, to, protocols);

    /// <summary>Sets (or replaces) a raw field of the spec, for validation tests that need a value the API refuses.</summary>
    public ClusterNetworkPolicyBuilder With(string field, JsonNode? value)
    {
        _spec[field] = value;
        return this;
    }

    public string Yaml() => new JsonObject
    {
        ["apiVersion"] = PolicyApi.Group + "/v1alpha2",
        ["kind"] = PolicyApi.ClusterNetworkPolicyKind,
        ["metadata"] = new JsonObject { ["name"] = _name },
        ["spec"] = _spec.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>The model the manifest loader reads from <see cref="Yaml"/> (which must be valid).</summary>
    public ClusterNetworkPolicy Build()
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource("cnp.yaml", Yaml())]);
        Assert.Empty(diagnostics.Where(d => d.IsError));
        return Assert.Single(manifests.ClusterNetworkPolicies);
    }

    private ClusterNetworkPolicyBuilder Rule(string direction, string peersField, string? name, ClusterPolicyAction action, JsonObject[] peers, JsonObject[] protocols)
    {
        var rule = new JsonObject();
        if (name is not null)
        {
            rule["name"] = name;
        }

        rule["action"] = action.ToString();
        rule[peersField] = new JsonArray([.. peers.Select(p => (JsonNode)p.DeepClone())]);
        if (protocols.Length > 0)
        {
            rule["protocols"] = new JsonArray([.. protocols.Select(p => (JsonNode)p.DeepClone())]);
        }

        if (_spec[direction] is not JsonArray rules)
        {
            _spec[direction] = rules = [];
        }

        rules.Add(rule);
        return this;
    }

    // Peers.

    public static JsonObject Namespaces(params (string Key, string Value)[] labels) => new() { ["namespaces"] = Selector(labels) };

    public static JsonObject Pods((string Key, string Value)[] namespaceLabels, (string Key, string Value)[] podLabels) =>
        new() { ["pods"] = PodsSelector(namespaceLabels, podLabels) };

    public static JsonObject Nodes(params (string Key, string Value)[] labels) => new() { ["nodes"] = Selector(labels) };

    public static JsonObject Networks(params string[] cidrs) => new() { ["networks"] = new JsonArray([.. cidrs.Select(c => (JsonNode)c)]) };

    // Protocols.

    public static JsonObject Port(Protocol protocol, int number) =>
        new() { [protocol.ToString().ToLowerInvariant()] = new JsonObject { ["destinationPort"] = new JsonObject { ["number"] = number } } };

    public static JsonObject PortRange(Protocol protocol, int start, int end) =>
        new() { [protocol.ToString().ToLowerInvariant()] = new JsonObject { ["destinationPort"] = new JsonObject { ["range"] = new JsonObject { ["start"] = start, ["end"] = end } } } };

    public static JsonObject NamedPort(string name) => new() { ["destinationNamedPort"] = name };

    private static JsonObject Selector((string Key, string Value)[] labels) =>
        labels.Length == 0 ? [] : new JsonObject { ["matchLabels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };

    private static JsonObject PodsSelector((string Key, string Value)[] namespaceLabels, (string Key, string Value)[] podLabels) => new()
    {
        ["namespaceSelector"] = Selector(namespaceLabels),
        ["podSelector"] = Selector(podLabels),
    };
}
