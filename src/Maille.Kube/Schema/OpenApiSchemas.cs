using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;

namespace Maille.Kube.Schema;

/// <summary>
/// OpenAPI v3 schemas of the built-in kinds, written from KubernetesClient's model (<see cref="ModelTypes"/>): what
/// <c>kubectl explain</c> reads, and what <c>kubectl apply</c> reads the merge keys of its strategic merge patches
/// from (<see cref="PatchMergeKeys"/>, as <c>x-kubernetes-patch-merge-key</c>). Descriptions come from
/// KubernetesClient's documentation file (its summaries are the API's own field descriptions) when it is installed
/// beside the assembly; without it the schemas have types and no descriptions.
/// </summary>
public static partial class OpenApiSchemas
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Descriptions = new(ReadDescriptions);

    /// <summary>The schema name of a model type, after the API's Go packages' convention (the last segment is the type's name).</summary>
    public static string NameOf(Type type)
    {
        var match = VersionPrefix().Match(type.Name);
        return match.Success ? $"io.k8s.{match.Groups["version"].Value.ToLowerInvariant()}.{match.Groups["name"].Value}" : $"io.k8s.{type.Name}";
    }

    /// <summary>The schemas of <paramref name="roots"/> and every type they reach, by <see cref="NameOf"/>.</summary>
    /// <param name="roots">Each kind's type with its group, version and kind, for <c>x-kubernetes-group-version-kind</c>.</param>
    public static JsonObject For(IEnumerable<(Type Type, string Group, string Version, string Kind)> roots)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var pending = new Queue<Type>();
        foreach (var (type, group, version, kind) in roots)
        {
            var schema = ObjectSchema(type, pending);
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });
            schemas[NameOf(type)] = schema;
        }

        while (pending.TryDequeue(out var type))
        {
            if (!schemas.ContainsKey(NameOf(type)))
            {
                schemas[NameOf(type)] = ObjectSchema(type, pending);
            }
        }

        return new JsonObject(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value)));
    }

    private static JsonObject ObjectSchema(Type type, Queue<Type> pending)
    {
        var properties = new JsonObject();
        foreach (var field in ModelTypes.Fields(type).Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var schema = FieldSchema(field.ValueType, pending);
            var strategy = PatchMergeKeys.Of(type, field.Name);
            if (strategy.MergeKey is { } key)
            {
                schema["x-kubernetes-patch-merge-key"] = key;
            }

            if (strategy.Tag is { } tag)
            {
                schema["x-kubernetes-patch-strategy"] = tag;
            }

            if (Fields.ObjectFields.IsAtomicMap(type, field.Name))
            {
                schema["x-kubernetes-map-type"] = "atomic";
            }

            // Server-side apply's view of the same lists: merged by key (a map), merged as a set, or atomic.
            if (ModelTypes.ListElement(field.ValueType) is not null && field.ValueType != typeof(string))
            {
                schema["x-kubernetes-list-type"] = strategy.MergeKey is not null ? "map" : strategy.Merge ? "set" : "atomic";
                if (strategy.MergeKey is { } mapKey)
                {
                    schema["x-kubernetes-list-map-keys"] = new JsonArray(mapKey);
                }
            }

            if (Description(type, field.Name) is { } description)
            {
                // A $ref cannot have siblings in OpenAPI 3.0: the API server wraps it in allOf to describe it.
                schema = schema["$ref"] is not null ? new JsonObject { ["allOf"] = new JsonArray(schema), ["description"] = description } : schema;
                schema["description"] ??= description;
            }

            properties[field.Name] = schema;
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (Fields.ObjectFields.IsAtomicType(type))
        {
            result["x-kubernetes-map-type"] = "atomic";
        }

        if (TypeDescription(type) is { } summary)
        {
            result["description"] = summary;
        }

        return result;
    }

    private static JsonObject FieldSchema(Type type, Queue<Type> pending)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }

        if (type == typeof(IntOrString))
        {
            return new JsonObject { ["x-kubernetes-int-or-string"] = true, ["format"] = "int-or-string" };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new JsonObject { ["x-kubernetes-int-or-string"] = true };
        }

        if (ModelTypes.MapValue(type) is { } value)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = FieldSchema(value, pending) };
        }

        if (ModelTypes.ListElement(type) is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = FieldSchema(element, pending) };
        }

        if (ModelTypes.IsObject(type))
        {
            pending.Enqueue(type);
            return new JsonObject { ["$ref"] = $"#/components/schemas/{NameOf(type)}" };
        }

        return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private static string? Description(Type owner, string jsonName) =>
        Descriptions.Value.GetValueOrDefault($"P:{owner.FullName}.{ModelTypes.Fields(owner)[jsonName].PropertyName}");

    private static string? TypeDescription(Type type) => Descriptions.Value.GetValueOrDefault($"T:{type.FullName}");

    private static Dictionary<string, string> ReadDescriptions()
    {
        var file = Path.ChangeExtension(typeof(V1Pod).Assembly.Location, ".xml");
        if (string.IsNullOrEmpty(typeof(V1Pod).Assembly.Location) || !File.Exists(file))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return XDocument.Load(file).Descendants("member")
            .Select(m => (Name: (string?)m.Attribute("name"), Summary: m.Element("summary")?.Value))
            .Where(m => m.Name is not null && !string.IsNullOrWhiteSpace(m.Summary))
            .GroupBy(m => m.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Whitespace().Replace(g.First().Summary!.Trim(), " "), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^(?<version>V\d+(?:(?:alpha|beta)\d+)?)(?<name>[A-Z].*)$")]
    private static partial Regex VersionPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
