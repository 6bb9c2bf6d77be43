using System.Text.Json.Nodes;
using Maille.Kube.Schema;

namespace Maille.Kube.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), what <c>kubectl apply</c>, <c>edit</c> and
/// <c>patch</c> send for the built-in kinds: a merge patch whose lists merge by their key where the API's types say so
/// (<see cref="PatchMergeKeys"/>: containers by name, container ports by containerPort, Service ports by port), with
/// the directives <c>$patch</c> (replace, delete, merge), <c>$retainKeys</c>, <c>$setElementOrder/FIELD</c> and
/// <c>$deleteFromPrimitiveList/FIELD</c>. Fields whose type is unknown merge as in a JSON merge patch.
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <param name="type">The object's model type (<see cref="ModelTypes.Of"/>), or null to merge without list keys.</param>
    /// <exception cref="FormatException">The patch is malformed (a merge list item without its key, an unknown directive); the message says where.</exception>
    public static JsonObject Apply(JsonObject target, JsonObject patch, Type? type) =>
        MergeMap((JsonObject)target.DeepClone(), patch, type, "");

    private static JsonObject MergeMap(JsonObject target, JsonObject patch, Type? type, string path)
    {
        switch (Directive(patch, path))
        {
            case "replace":
                return Without(patch, PatchDirective);
            case "delete":
                return [];
        }

        var fields = type is null ? null : ModelTypes.Fields(type);
        foreach (var (name, value) in patch)
        {
            if (name is PatchDirective or RetainKeysDirective || name.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
                || name.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (name.StartsWith('$'))
            {
                throw new FormatException($"{Where(path, name)}: unknown patch directive {name}");
            }

            var field = fields?.GetValueOrDefault(name);
            var strategy = field is null ? PatchStrategy.Replace : PatchMergeKeys.Of(type!, name);
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject nested && Directive(nested, Where(path, name)) == "delete")
            {
                target.Remove(name);
            }
            else if (value is JsonObject nestedPatch)
            {
                // A typed object merges by its own fields; a map (labels, a Secret's data) as a merge patch does.
                var fieldType = field?.ValueType;
                var objectType = fieldType is not null && ModelTypes.IsObject(fieldType) ? fieldType : null;
                target[name] = objectType is null && fieldType is not null && ModelTypes.MapValue(fieldType) is not null
                    ? JsonMergePatch.Apply(target[name], nestedPatch)
                    : MergeMap(target[name] is JsonObject existing ? (JsonObject)existing.DeepClone() : [], nestedPatch, objectType, Where(path, name));
            }
            else if (value is JsonArray list && strategy.Merge && field is not null && ModelTypes.ListElement(field.ValueType) is { } element)
            {
                target[name] = strategy.MergeKey is { } key
                    ? MergeKeyedList(target[name] as JsonArray ?? [], list, key, ModelTypes.IsObject(element) ? element : null, Where(path, name))
                    : MergeValues(target[name] as JsonArray ?? [], list);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }

        foreach (var (name, value) in patch.Where(p => p.Key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)).ToList())
        {
            var field = name[DeleteFromPrimitiveListPrefix.Length..];
            if (target[field] is JsonArray values && value is JsonArray removed)
            {
                target[field] = new JsonArray([.. values.Where(v => !removed.Any(r => JsonNode.DeepEquals(r, v))).Select(v => v?.DeepClone())]);
            }
        }

        foreach (var (name, value) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            var field = name[SetElementOrderPrefix.Length..];
            if (target[field] is JsonArray items && value is JsonArray order)
            {
                var key = type is null ? null : PatchMergeKeys.Of(type, field).MergeKey;
                target[field] = Ordered(items, order, key);
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retained)
        {
            var keep = retained.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var name in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(name);
            }
        }

        return target;
    }

    private static JsonArray MergeKeyedList(JsonArray target, JsonArray patch, string key, Type? element, string path)
    {
        if (patch.OfType<JsonObject>().Any(item => Directive(item, path) == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(item => Directive(item, path) != "replace").Select(item => (JsonNode?)Without(item, PatchDirective))]);
        }

        var result = target.Select(item => item?.DeepClone()).ToList();
        foreach (var change in patch)
        {
            if (change is not JsonObject item)
            {
                throw new FormatException($"{path}: a list merged by {key} holds objects, not {change?.ToJsonString() ?? "null"}");
            }

            if (item[key] is not JsonNode keyValue)
            {
                throw new FormatException($"{path}: map: {item.ToJsonString()} does not contain declared merge key: {key}");
            }

            var index = result.FindIndex(existing => existing is JsonObject o && JsonNode.DeepEquals(o[key], keyValue));
            if (Directive(item, path) == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result[index] = MergeMap((JsonObject)result[index]!, item, element, $"{path}[{key}={keyValue.ToJsonString()}]");
            }
            else
            {
                result.Add(MergeMap([], item, element, $"{path}[{key}={keyValue.ToJsonString()}]"));
            }
        }

        return new JsonArray([.. result]);
    }

    private static JsonArray MergeValues(JsonArray target, JsonArray patch)
    {
        var result = target.Select(v => v?.DeepClone()).ToList();
        result.AddRange(patch.Where(v => !result.Any(r => JsonNode.DeepEquals(r, v))).Select(v => v?.DeepClone()));
        return new JsonArray([.. result]);
    }

    /// <summary>The items in the order <c>$setElementOrder</c> gives; items it does not name keep their place after them.</summary>
    private static JsonArray Ordered(JsonArray items, JsonArray order, string? key)
    {
        JsonNode? Identity(JsonNode? node) => key is not null && node is JsonObject o ? o[key] : node;
        var rank = order.Select((o, i) => (Identity: Identity(o), Index: i)).ToList();
        int Rank(JsonNode? item) => rank.FindIndex(r => JsonNode.DeepEquals(r.Identity, Identity(item))) is var i and >= 0 ? i : int.MaxValue;
        return new JsonArray([.. items.Select((item, i) => (Item: item, Rank: Rank(item), Index: i)).OrderBy(x => x.Rank).ThenBy(x => x.Index).Select(x => x.Item?.DeepClone())]);
    }

    private static string? Directive(JsonObject map, string path)
    {
        if (map[PatchDirective] is not JsonNode directive)
        {
            return null;
        }

        var value = directive.GetValueKind() == System.Text.Json.JsonValueKind.String ? directive.GetValue<string>() : null;
        return value is "replace" or "delete" or "merge"
            ? value
            : throw new FormatException($"{(path.Length == 0 ? "the patch" : path)}: unknown $patch directive {directive.ToJsonString()}");
    }

    private static JsonObject Without(JsonObject map, string name) =>
        new(map.Where(p => p.Key != name).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

    private static string Where(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
