using System.Text.Json.Nodes;
using k8s.Models;
using Maille.Kube.Schema;

namespace Maille.Kube.Fields;

/// <summary>
/// structured-merge-diff's operations on an object's JSON, by the schema of <see cref="ModelTypes"/>: typed objects
/// and maps are granular (each field its own path), lists with a merge key are associative (an item per key,
/// <c>k:</c>), lists merged as values are sets (<c>v:</c>), every other list and a label selector are atomic (one
/// path for the whole value), as are the maps the API marks atomic (a Service's selector). A kind without a model type (MetalLB's) is read as structured-merge-diff reads an
/// unknown type: maps granular, lists atomic.
/// </summary>
public static class ObjectFields
{
    /// <summary>The set of fields <paramref name="obj"/> sets, as server-side apply records an applied configuration's.</summary>
    /// <exception cref="FormatException">An item of a list merged by key lacks its key; the message says where.</exception>
    public static FieldSet Of(JsonObject obj, Type? type)
    {
        var paths = new List<IReadOnlyList<string>>();
        Collect(obj, type, PatchStrategy.Replace, [], paths);
        return FieldSet.Of(paths);
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>, path by path.</summary>
    public static FieldComparison Compare(JsonObject before, JsonObject after, Type? type)
    {
        var comparison = new Comparing();
        Compare(before, true, after, true, type, PatchStrategy.Replace, [], comparison);
        return new FieldComparison(FieldSet.Of(comparison.Added), FieldSet.Of(comparison.Modified), FieldSet.Of(comparison.Removed));
    }

    /// <summary>
    /// <paramref name="config"/> merged into <paramref name="live"/>: maps and typed objects field by field, lists
    /// with a merge key item by item, sets value by value; anything else (a scalar, an atomic list) is replaced.
    /// </summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, Type? type) =>
        (JsonObject)Merge(live, config, type, PatchStrategy.Replace)!;

    /// <summary>A copy of <paramref name="obj"/> without the fields of <paramref name="fields"/> (and what is under them).</summary>
    public static JsonObject Remove(JsonObject obj, FieldSet fields, Type? type)
    {
        var result = (JsonObject)obj.DeepClone();
        foreach (var path in fields.Paths.OrderByDescending(p => p.Count))
        {
            Remove(result, path, 0, type, PatchStrategy.Replace);
        }

        return result;
    }

    private static void Collect(JsonNode? value, Type? type, PatchStrategy list, List<string> path, List<IReadOnlyList<string>> into)
    {
        switch (value)
        {
            case JsonObject map when IsGranular(type):
                foreach (var (name, child) in map)
                {
                    var member = Member(type, name);
                    path.Add(FieldSet.Field(name));
                    Collect(child, member.Type, member.List, path, into);

                    // A typed object's own path is implied by its fields; a map entry, an empty object or a null is a path of its own.
                    if (child is null or JsonObject { Count: 0 } || !member.Known)
                    {
                        into.Add([.. path]);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray items when list.Merge:
                foreach (var item in items)
                {
                    path.Add(Element(item, list, path));
                    if (list.MergeKey is not null)
                    {
                        Collect(item, ListElement(type), PatchStrategy.Replace, path, into);
                    }

                    into.Add([.. path]);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                into.Add([.. path]);
                break;
        }
    }

    private static void Compare(JsonNode? before, bool had, JsonNode? after, bool has, Type? type, PatchStrategy list, List<string> path, Comparing into, Type? parentType = null)
    {
        if ((before is JsonObject || !had) && (after is JsonObject || !has) && IsGranular(type) && (before ?? after) is not null)
        {
            var left = before as JsonObject;
            var right = after as JsonObject;
            foreach (var name in (left?.Select(p => p.Key) ?? []).Concat(right?.Select(p => p.Key) ?? []).Distinct(StringComparer.Ordinal).ToList())
            {
                var member = Member(type, name);
                path.Add(FieldSet.Field(name));
                JsonNode? l = null, r = null;
                Compare(left?.TryGetPropertyValue(name, out l) == true ? l : null, left?.ContainsKey(name) == true, right?.TryGetPropertyValue(name, out r) == true ? r : null, right?.ContainsKey(name) == true, member.Type, member.List, path, into, type);
                path.RemoveAt(path.Count - 1);
            }

            // A typed object of the Go types is a struct that is there even when empty (so it is never added, as the API
            // server compares with the kind's zero value); maps, items and lists come and go. The model does not say
            // which Go fields are pointers or omitempty: a pointer struct (rollingUpdate) gets no "." here, and the one
            // list written even when empty, a pod's containers, is named below.
            Mark(had, has, path, into, implied: type is not null && ModelTypes.IsObject(type) && !(path is [.., var last] && last.StartsWith("k:", StringComparison.Ordinal)));
            return;
        }

        if ((before is JsonArray || !had) && (after is JsonArray || !has) && list.Merge && (before ?? after) is not null)
        {
            var left = ((before as JsonArray) ?? []).GroupBy(i => Element(i, list, path)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var right = ((after as JsonArray) ?? []).GroupBy(i => Element(i, list, path)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var element in left.Keys.Concat(right.Keys).Distinct(StringComparer.Ordinal).ToList())
            {
                path.Add(element);
                if (list.MergeKey is not null)
                {
                    Compare(left.GetValueOrDefault(element), left.ContainsKey(element), right.GetValueOrDefault(element), right.ContainsKey(element), ListElement(type), PatchStrategy.Replace, path, into);
                }
                else
                {
                    Mark(left.ContainsKey(element), right.ContainsKey(element), path, into, implied: false);
                }

                path.RemoveAt(path.Count - 1);
            }

            Mark(had, has, path, into, implied: parentType == typeof(V1PodSpec) && path[^1] == "f:containers");
            return;
        }

        if (!had)
        {
            into.Added.Add([.. path]);
        }
        else if (!has)
        {
            into.Removed.Add([.. path]);
        }
        else if (!JsonNode.DeepEquals(before, after))
        {
            into.Modified.Add([.. path]);
        }
    }

    private static void Mark(bool had, bool has, List<string> path, Comparing into, bool implied)
    {
        if (!had && !implied)
        {
            into.Added.Add([.. path]);
        }
        else if (had && !has)
        {
            into.Removed.Add([.. path]);
        }
    }

    private static JsonNode? Merge(JsonNode? live, JsonNode? config, Type? type, PatchStrategy list)
    {
        if (live is JsonObject liveMap && config is JsonObject configMap && IsGranular(type))
        {
            var result = (JsonObject)liveMap.DeepClone();
            foreach (var (name, value) in configMap)
            {
                var member = Member(type, name);
                result[name] = result.TryGetPropertyValue(name, out var existing) && existing is not null && value is not null
                    ? Merge(existing, value, member.Type, member.List)
                    : value?.DeepClone();
            }

            return result;
        }

        if (live is JsonArray liveItems && config is JsonArray configItems && list.Merge)
        {
            var result = liveItems.Select(i => i?.DeepClone()).ToList();
            var elements = result.Select(i => Element(i, list, [])).ToList();
            foreach (var item in configItems)
            {
                var element = Element(item, list, []);
                var index = elements.IndexOf(element);
                if (index < 0)
                {
                    result.Add(item?.DeepClone());
                    elements.Add(element);
                }
                else if (list.MergeKey is not null)
                {
                    result[index] = Merge(result[index], item, ListElement(type), PatchStrategy.Replace);
                }
            }

            return new JsonArray([.. result]);
        }

        return config?.DeepClone();
    }

    private static void Remove(JsonNode? node, IReadOnlyList<string> path, int at, Type? type, PatchStrategy list)
    {
        var element = path[at];
        var last = at == path.Count - 1;
        if (node is JsonObject map && element.StartsWith("f:", StringComparison.Ordinal))
        {
            var name = element[2..];
            if (last)
            {
                map.Remove(name);
            }
            else if (map.TryGetPropertyValue(name, out var child))
            {
                var member = Member(type, name);
                Remove(child, path, at + 1, member.Type, member.List);
            }
        }
        else if (node is JsonArray items && list.Merge)
        {
            var index = items.Select(i => Element(i, list, [])).ToList().IndexOf(element);
            if (index < 0)
            {
                return;
            }

            if (last)
            {
                items.RemoveAt(index);
            }
            else
            {
                Remove(items[index], path, at + 1, ListElement(type), PatchStrategy.Replace);
            }
        }
    }

    /// <summary>A list item's path element: its key for a list merged by key, its value for a set.</summary>
    private static string Element(JsonNode? item, PatchStrategy list, List<string> path)
    {
        if (list.MergeKey is not { } key)
        {
            return FieldSet.Value(item);
        }

        return item is JsonObject map && map.TryGetPropertyValue(key, out var value) && value is not null
            ? FieldSet.Key([KeyValuePair.Create(key, (JsonNode?)value)])
            : throw new FormatException($"{FieldSet.Display(path)}: associative list with keys has an element that omits key field \"{key}\"");
    }

    private static bool IsGranular(Type? type) =>
        type is null || (ModelTypes.IsObject(type) && !AtomicTypes.Contains(type)) || ModelTypes.MapValue(type) is not null;

    /// <summary>Types the API marks <c>x-kubernetes-map-type: atomic</c> (a selector is one value, replaced whole).</summary>
    private static readonly HashSet<Type> AtomicTypes = [typeof(V1LabelSelector), typeof(V1NodeSelector)];

    /// <summary>Map fields the API marks atomic (<c>+mapType=atomic</c>).</summary>
    private static readonly HashSet<(Type Owner, string Field)> AtomicMaps = [(typeof(V1ServiceSpec), "selector"), (typeof(V1ReplicationControllerSpec), "selector")];

    /// <summary>Whether values of <paramref name="type"/> are one value to server-side apply (<c>x-kubernetes-map-type: atomic</c>).</summary>
    internal static bool IsAtomicType(Type type) => AtomicTypes.Contains(type);

    /// <summary>Whether map field <paramref name="field"/> of <paramref name="owner"/> is one value to server-side apply.</summary>
    internal static bool IsAtomicMap(Type owner, string field) => AtomicMaps.Contains((owner, field));

    /// <summary>The type an atomic map field is read as: neither an object nor a map, so one value.</summary>
    private sealed class AtomicMap;

    private static Type? ListElement(Type? type) => type is null ? null : ModelTypes.ListElement(type);

    private static (Type? Type, PatchStrategy List, bool Known) Member(Type? parent, string name)
    {
        if (parent is not null && ModelTypes.IsObject(parent))
        {
            var field = ModelTypes.Fields(parent).GetValueOrDefault(name);
            return (AtomicMaps.Contains((parent, name)) ? typeof(AtomicMap) : field?.ValueType, PatchMergeKeys.Of(parent, name), field is not null);
        }

        return (parent is null ? null : ModelTypes.MapValue(parent), PatchStrategy.Replace, false);
    }

    private sealed class Comparing
    {
        public List<IReadOnlyList<string>> Added { get; } = [];

        public List<IReadOnlyList<string>> Modified { get; } = [];

        public List<IReadOnlyList<string>> Removed { get; } = [];
    }
}
