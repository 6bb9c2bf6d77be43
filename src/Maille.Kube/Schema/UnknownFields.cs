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

    /// <summary>The API server's message for a strict write of <paramref name="kind"/> with these fields.</summary>
    public static string StrictMessage(string kind, string version, IEnumerable<string> fields) =>
        $"{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {string.Join(", ", fields.Select(f => $"unknown field \"{f}\""))}";

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
