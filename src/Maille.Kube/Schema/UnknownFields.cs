using System.Text.Json.Nodes;

namespace Maille.Kube.Schema;

/// <summary>
/// The fields of an object that its kind does not have, as the API server's strict decoding names them
/// (<c>spec.containers[0].portz</c>): what <c>fieldValidation=Strict</c> refuses and <c>Warn</c> warns about.
/// </summary>
public static class UnknownFields
{
    public static IReadOnlyList<string> Of(JsonObject json, Type type)
    {
        var found = new List<string>();
        Walk(json, type, "", found);
        return found;
    }

    /// <summary>
    /// The unknown fields of an object of <paramref name="kind"/>: by KubernetesClient's model for a built-in kind
    /// (<see cref="ModelTypes"/>), by its CRD's structural schema for a custom resource Maille embeds the CRD of
    /// (<see cref="CustomResourceSchemas"/>), as the API server prunes and, when strict, refuses them; none for any other.
    /// </summary>
    public static IReadOnlyList<string> Of(JsonObject json, KindName kind)
    {
        if (ModelTypes.Of(kind.ApiVersion, kind.Kind) is { } type)
        {
            return Of(json, type);
        }

        if (CustomResourceSchemas.Shared(kind.Kind, kind.Version) is not { } schema)
        {
            return [];
        }

        // A custom resource's metadata is the API server's ObjectMeta, whatever its CRD says of it (type: object).
        var found = new List<string>();
        foreach (var (name, value) in json)
        {
            if (name == "metadata")
            {
                Walk(value, typeof(k8s.Models.V1ObjectMeta), name, found);
            }
            else if (name is not ("apiVersion" or "kind"))
            {
                WalkSchema(value, schema["properties"]?[name] as JsonObject, name, found, known: schema["properties"]?[name] is not null);
            }
        }

        return found;
    }

    /// <summary>The API server's message for a strict write of <paramref name="kind"/> with these fields.</summary>
    public static string StrictMessage(string kind, string version, IEnumerable<string> fields) =>
        $"{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {string.Join(", ", fields.Select(f => $"unknown field \"{f}\""))}";

    /// <summary>
    /// One value against its structural schema: an object's fields are its <c>properties</c>, else its
    /// <c>additionalProperties</c> (a map), else anything when it preserves unknown fields; a list's elements are its
    /// <c>items</c>.
    /// </summary>
    private static void WalkSchema(JsonNode? node, JsonObject? schema, string path, List<string> found, bool known = true)
    {
        if (!known)
        {
            found.Add(path);
            return;
        }

        if (schema is null || (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject map when schema["properties"] is JsonObject properties:
                foreach (var (name, value) in map)
                {
                    WalkSchema(value, properties[name] as JsonObject, $"{path}.{name}", found, known: properties.ContainsKey(name));
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject values:
                foreach (var (name, value) in map)
                {
                    WalkSchema(value, values, $"{path}[{name}]", found);
                }

                break;
            case JsonArray list when schema["items"] is JsonObject items:
                for (var i = 0; i < list.Count; i++)
                {
                    WalkSchema(list[i], items, $"{path}[{i}]", found);
                }

                break;
        }
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> found)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (node)
        {
            case JsonObject map when ModelTypes.IsObject(type):
                var fields = ModelTypes.Fields(type);
                foreach (var (name, value) in map)
                {
                    var at = path.Length == 0 ? name : $"{path}.{name}";
                    if (fields.TryGetValue(name, out var field))
                    {
                        Walk(value, field.Type, at, found);
                    }
                    else
                    {
                        found.Add(at);
                    }
                }

                break;
            case JsonObject map when ModelTypes.MapValue(type) is { } valueType:
                foreach (var (name, value) in map)
                {
                    Walk(value, valueType, $"{path}[{name}]", found);
                }

                break;
            case JsonArray list when ModelTypes.ListElement(type) is { } element:
                for (var i = 0; i < list.Count; i++)
                {
                    Walk(list[i], element, $"{path}[{i}]", found);
                }

                break;
        }
    }
}
