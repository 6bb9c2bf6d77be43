using System.Text.Json.Nodes;

namespace Maille.Kube;

/// <summary>
/// An object as the API server shows it: what the user wrote, every field of it (a container's <c>env</c>,
/// <c>resources</c>, <c>volumes</c>, which the engine does not model), with what the server decided set over it (uid,
/// allocated addresses and ports, defaults, <c>status</c>).
/// </summary>
public static class WrittenObject
{
    /// <summary>
    /// <paramref name="served"/> set over <paramref name="written"/>: mappings merge field by field, the served value
    /// winning; lists of the same length merge item by item (the engine keeps the order of containers, ports and
    /// rules as written), otherwise the served list stands whole. <c>status</c> is the server's alone, as the API
    /// server ignores a status sent with a spec. Neither argument is changed.
    /// </summary>
    public static JsonObject Merge(JsonObject written, JsonObject served)
    {
        var merged = (JsonObject)Over(written, served)!;
        if (served["status"] is { } status)
        {
            merged["status"] = status.DeepClone();
        }
        else
        {
            merged.Remove("status");
        }

        return merged;
    }

    private static JsonNode? Over(JsonNode? written, JsonNode? served)
    {
        switch (written, served)
        {
            case (JsonObject under, JsonObject over):
                var merged = new JsonObject();
                foreach (var (name, value) in under)
                {
                    merged[name] = over.TryGetPropertyValue(name, out var replaced) ? Over(value, replaced) : value?.DeepClone();
                }

                foreach (var (name, value) in over)
                {
                    if (!under.ContainsKey(name))
                    {
                        merged[name] = value?.DeepClone();
                    }
                }

                return merged;
            case (JsonArray under, JsonArray over) when under.Count == over.Count:
                return new JsonArray([.. under.Select((item, i) => Over(item, over[i]))]);
            default:
                return served?.DeepClone();
        }
    }
}
