using System.Globalization;
using System.Text.Json.Nodes;

namespace Maille.TestKit;

/// <summary>
/// One field of an object's status a <see cref="ConformanceCase"/> asserts, read from the object as the API shows it
/// (<c>kubectl get -o json</c>; on the engine, the plan written by <c>GatewayObjectWriter</c>, which the lab's API
/// serves), so one expectation is checked the same way in both places. A condition reads as <c>True/Reason</c>.
/// </summary>
public sealed record ExpectedStatus(string Kind, string QualifiedName, string Field, string Expected, Func<JsonNode, string?> Read)
{
    /// <summary>Condition <paramref name="type"/> of a route's <paramref name="parent"/>th parent status.</summary>
    public static ExpectedStatus Route(string kind, string route, string type, bool status, string reason, int parent = 0) =>
        new(kind, route, $"status.parents[{parent}] condition {type}", Condition(status, reason), o => ConditionOf(o["status"]?["parents"]?[parent], type, withReason: true));

    /// <summary>How many parents the route's status lists.</summary>
    public static ExpectedStatus Parents(string kind, string route, int count) =>
        new(kind, route, "status.parents count", Count(count), o => CountOf(o["status"]?["parents"]));

    /// <summary>Condition <paramref name="type"/> of a Gateway itself.</summary>
    public static ExpectedStatus Gateway(string gateway, string type, bool status, string reason) =>
        new("Gateway", gateway, $"status condition {type}", Condition(status, reason), o => ConditionOf(o["status"], type, withReason: true));

    /// <summary>Condition <paramref name="type"/> of a GatewayClass (cluster-scoped: its name alone), any reason.</summary>
    public static ExpectedStatus GatewayClass(string name, string type, bool status) =>
        new("GatewayClass", name, $"status condition {type}", Condition(status, null), o => ConditionOf(o["status"], type, withReason: false));

    /// <summary>Condition <paramref name="type"/> of a Gateway's <paramref name="listener"/>th listener; its reason only when given.</summary>
    public static ExpectedStatus Listener(string gateway, int listener, string type, bool status, string? reason = null) =>
        new("Gateway", gateway, $"status.listeners[{listener}] condition {type}", Condition(status, reason), o => ConditionOf(o["status"]?["listeners"]?[listener], type, withReason: reason is not null));

    public static ExpectedStatus AttachedRoutes(string gateway, int listener, int count) =>
        new("Gateway", gateway, $"status.listeners[{listener}].attachedRoutes", Count(count), o => o["status"]?["listeners"]?[listener]?["attachedRoutes"]?.ToJsonString());

    public static ExpectedStatus SupportedKinds(string gateway, int listener, int count) =>
        new("Gateway", gateway, $"status.listeners[{listener}].supportedKinds count", Count(count), o => CountOf(o["status"]?["listeners"]?[listener]?["supportedKinds"]));

    /// <summary>
    /// The object's <c>metadata.generation</c> is <paramref name="generation"/> and every condition it shows (a Gateway's
    /// or GatewayClass's own, each parent's of a route) was observed at it, as the suite's *MustHaveLatestConditions.
    /// </summary>
    public static ExpectedStatus Latest(string kind, string qualifiedName, long generation) =>
        new(kind, qualifiedName, "metadata.generation, and every condition's observedGeneration", generation.ToString(CultureInfo.InvariantCulture), o => LatestOf(o, kind));

    /// <summary>
    /// The Gateway's listener statuses, in any order, are exactly <paramref name="listeners"/>, each with HTTPRoute among
    /// its supported kinds (others may be too), Accepted and ResolvedRefs True (any reason), with that many attached
    /// routes, as the suite's GatewayStatusMustHaveListeners asks in GatewayModifyListeners.
    /// </summary>
    public static ExpectedStatus HttpListeners(string gateway, params (string Name, int AttachedRoutes)[] listeners) =>
        new("Gateway", gateway, "status.listeners", string.Join("; ", listeners.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}: supports HTTPRoute, {Count(l.AttachedRoutes)} attached, Accepted True, ResolvedRefs True")),
            o => o["status"]?["listeners"] is JsonArray all
                ? string.Join("; ", all.OrderBy(l => (string?)l?["name"], StringComparer.Ordinal).Select(l =>
                    $"{(string?)l?["name"]}: {((l?["supportedKinds"] as JsonArray ?? []).Any(k => (string?)k?["kind"] == "HTTPRoute" && ((string?)k?["group"] ?? "gateway.networking.k8s.io") == "gateway.networking.k8s.io") ? "supports" : "does not support")} HTTPRoute, {l?["attachedRoutes"]?.ToJsonString()} attached, "
                    + $"Accepted {ConditionOf(l, "Accepted", withReason: false) ?? "absent"}, ResolvedRefs {ConditionOf(l, "ResolvedRefs", withReason: false) ?? "absent"}"))
                : null);

    /// <summary>What <paramref name="obj"/> shows for this field, or null when it shows nothing.</summary>
    public string? Actual(JsonNode obj) => Read(obj);

    public bool Holds(JsonNode obj) => Read(obj) == Expected;

    public override string ToString() => $"{Kind} {QualifiedName} {Field} = {Expected}";

    private static string Condition(bool status, string? reason) => (status ? "True" : "False") + (reason is null ? "" : "/" + reason);

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string? CountOf(JsonNode? array) => array is JsonArray a ? Count(a.Count) : null;

    /// <summary>The generation when every condition was observed at it; else which were not (or that there are none).</summary>
    private static string? LatestOf(JsonNode obj, string kind)
    {
        var generation = obj["metadata"]?["generation"]?.ToJsonString();
        var holders = kind is "Gateway" or "GatewayClass" ? [obj["status"]] : (obj["status"]?["parents"] as JsonArray ?? []).ToList();
        var conditions = holders.SelectMany(h => h?["conditions"] as JsonArray ?? []).ToList();
        var stale = conditions.Where(c => c?["observedGeneration"]?.ToJsonString() != generation).Select(c => $"{(string?)c?["type"]} at {c?["observedGeneration"]?.ToJsonString() ?? "none"}").ToList();
        return conditions.Count == 0 ? $"{generation}, no conditions"
            : stale.Count == 0 ? generation
            : $"{generation}, stale: {string.Join(", ", stale)}";
    }

    private static string? ConditionOf(JsonNode? holder, string type, bool withReason)
    {
        var condition = (holder?["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == type);
        return condition is null ? null : (string?)condition["status"] + (withReason ? "/" + (string?)condition["reason"] : "");
    }
}
