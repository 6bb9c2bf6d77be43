using System.Text.Json.Nodes;

namespace Maille.Kube.Schema;

/// <summary>
/// The fields of an object that its kind does not have, as the API server's strict decoding names them
/// (<c>spec.containers[0].portz</c>): what <c>fieldValidation=Strict</c> refuses and <c>Warn</c> warns about. Under
/// Warn and Ignore the API server drops them as it decodes the object, so they are never stored; <see cref="Prune"/>
/// does the same.
/// </summary>
public static class UnknownFields
{
    public static IReadOnlyList<string> Of(JsonObject json, Type type)
    {
        var found = new List<Unknown>();
        Walk(json, type, "", found);
        return [.. found.Select(f => f.Path)];
    }

    /// <summary>The unknown fields of an object of <paramref name="kind"/>, by path (<see cref="Found"/>).</summary>
    public static IReadOnlyList<string> Of(JsonObject json, KindName kind) => [.. Found(json, kind).Select(f => f.Path)];

    /// <summary>
    /// Removes from <paramref name="json"/> the unknown fields of <paramref name="kind"/> that <paramref name="which"/>
    /// selects by path (every one when null), as the API server drops them; returns the paths of all it found, in order.
    /// </summary>
    public static IReadOnlyList<string> Prune(JsonObject json, KindName kind, Func<string, bool>? which = null)
    {
        var found = Found(json, kind);
        foreach (var field in found.Where(f => which?.Invoke(f.Path) != false))
        {
            field.Parent.Remove(field.Name);
        }

        return [.. found.Select(f => f.Path)];
    }

    /// <summary>
    /// The unknown fields of an object of <paramref name="kind"/>: by KubernetesClient's model for a built-in kind
    /// (<see cref="ModelTypes"/>), by its CRD's structural schema for a custom resource Maille embeds the CRD of
    /// (<see cref="CustomResourceSchemas"/>), as the API server prunes and, when strict, refuses them; none for any other.
    /// </summary>
    private static List<Unknown> Found(JsonObject json, KindName kind)
    {
        var found = new List<Unknown>();
        if (ModelTypes.Of(kind.ApiVersion, kind.Kind) is { } type)
        {
            Walk(json, type, "", found);
            return found;
        }

        if (CustomResourceSchemas.Shared(kind.Kind, kind.Version) is not { } schema)
        {
            return found;
        }

        // A custom resource's metadata is the API server's ObjectMeta, whatever its CRD says of it (type: object).
        foreach (var (name, value) in json)
        {
            if (name == "metadata")
            {
                Walk(value, typeof(k8s.Models.V1ObjectMeta), name, found);
            }
            else if (name is "apiVersion" or "kind")
            {
                continue;
            }
            else if (schema["properties"]?[name] is JsonObject property)
            {
                WalkSchema(value, property, name, found);
            }
            else
            {
                found.Add(new Unknown(name, json, name));
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
    private static void WalkSchema(JsonNode? node, JsonObject? schema, string path, List<Unknown> found)
    {
        if (schema is null || (bool?)schema["x-kubernetes-preserve-unknown-fields"] == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject map when schema["properties"] is JsonObject properties:
                foreach (var (name, value) in map)
                {
                    if (properties.ContainsKey(name))
                    {
                        WalkSchema(value, properties[name] as JsonObject, $"{path}.{name}", found);
                    }
                    else
                    {
                        found.Add(new Unknown($"{path}.{name}", map, name));
                    }
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

    private static void Walk(JsonNode? node, Type type, string path, List<Unknown> found)
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
                        found.Add(new Unknown(at, map, name));
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

    /// <summary>One unknown field: its path as the API server names it, and where it is (to drop it).</summary>
    private readonly record struct Unknown(string Path, JsonObject Parent, string Name);
}
