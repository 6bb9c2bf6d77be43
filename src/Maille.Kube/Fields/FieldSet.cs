using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Maille.Kube.Fields;

/// <summary>
/// A set of field paths, as structured-merge-diff keeps them for managed fields. A path is a list of elements in the
/// FieldsV1 spelling: <c>f:name</c> (a field), <c>k:{"name":"web"}</c> (an item of a list merged by key),
/// <c>v:"a"</c> (an item of a list merged as a set), <c>i:0</c> (an index). Immutable; equal sets are equal values.
/// </summary>
public sealed class FieldSet : IEquatable<FieldSet>
{
    // Each path is its elements joined by a separator no element holds (JSON-encoded keys and values escape it).
    private const char Separator = '\u0001';

    private readonly ImmutableSortedSet<string> _paths;

    private FieldSet(ImmutableSortedSet<string> paths) => _paths = paths;

    public static FieldSet Empty { get; } = new(ImmutableSortedSet.Create<string>(StringComparer.Ordinal));

    public bool IsEmpty => _paths.IsEmpty;

    public int Count => _paths.Count;

    /// <summary>Every path, each as its elements.</summary>
    public IEnumerable<IReadOnlyList<string>> Paths => _paths.Select(p => (IReadOnlyList<string>)p.Split(Separator));

    public static FieldSet Of(IEnumerable<IReadOnlyList<string>> paths) =>
        new(paths.Where(p => p.Count > 0).Select(p => string.Join(Separator, p)).ToImmutableSortedSet(StringComparer.Ordinal));

    public bool Contains(IReadOnlyList<string> path) => _paths.Contains(string.Join(Separator, path));

    public FieldSet Union(FieldSet other) => new(_paths.Union(other._paths));

    public FieldSet Intersect(FieldSet other) => new(_paths.Intersect(other._paths));

    public FieldSet Except(FieldSet other) => new(_paths.Except(other._paths));

    /// <summary>The paths that have no path of <paramref name="other"/> under them.</summary>
    public FieldSet WithoutAncestorsOf(FieldSet other) => new(_paths.Where(p => !other.HasUnder(p + Separator)).ToImmutableSortedSet(StringComparer.Ordinal));

    /// <summary>Whether a path starts with <paramref name="prefix"/>: the first path not before it in order, found by binary search.</summary>
    private bool HasUnder(string prefix)
    {
        var index = _paths.IndexOf(prefix);
        index = index < 0 ? ~index : index;
        return index < _paths.Count && _paths[index].StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The paths that do not start with any of <paramref name="prefixes"/> (server-owned fields, say).</summary>
    public FieldSet Without(IEnumerable<IReadOnlyList<string>> prefixes)
    {
        var joined = prefixes.Select(p => string.Join(Separator, p)).ToList();
        return new(_paths.Where(p => !joined.Any(x => p == x || p.StartsWith(x + Separator, StringComparison.Ordinal))).ToImmutableSortedSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// The set in the FieldsV1 encoding the API serves: a tree of elements, where <c>{}</c> marks a path in the set
    /// with nothing under it and <c>".": {}</c> one that also has paths under it.
    /// </summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var path in Paths)
        {
            var node = root;
            foreach (var element in path)
            {
                node = node.Children.TryGetValue(element, out var child) ? child : node.Children[element] = new Node();
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    /// <exception cref="FormatException">Not a FieldsV1 tree (a value that is not an object, an element of an unknown type).</exception>
    public static FieldSet FromFieldsV1(JsonObject fields)
    {
        var paths = new List<IReadOnlyList<string>>();
        Read(fields, [], paths);
        return Of(paths);
    }

    /// <summary>A path as structured-merge-diff prints it in a conflict: <c>.spec.containers[name="web"].image</c>.</summary>
    public static string Display(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var content = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(content);
                    break;
                case 'k':
                    var key = JsonNode.Parse(content)!.AsObject();
                    text.Append('[').AppendJoin(',', key.Select(k => $"{k.Key}={k.Value?.ToJsonString()}")).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(content).Append(']');
                    break;
                default:
                    text.Append('[').Append(content).Append(']');
                    break;
            }
        }

        return text.ToString();
    }

    public bool Equals(FieldSet? other) => other is not null && _paths.SetEquals(other._paths);

    public override bool Equals(object? obj) => Equals(obj as FieldSet);

    public override int GetHashCode() => _paths.Aggregate(_paths.Count, (hash, path) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(path)));

    private static void Read(JsonObject node, List<string> path, List<IReadOnlyList<string>> paths)
    {
        foreach (var (element, value) in node)
        {
            if (element == ".")
            {
                if (path.Count > 0)
                {
                    paths.Add([.. path]);
                }

                continue;
            }

            if (element.Length < 2 || element[1] != ':' || element[0] is not ('f' or 'k' or 'v' or 'i') || value is not JsonObject children
                || (element[0] is 'k' or 'v' && !IsJson(element[2..], key: element[0] == 'k')))
            {
                throw new FormatException($"fieldsV1: {element} is not a field path element");
            }

            path.Add(element);
            if (children.Count == 0)
            {
                paths.Add([.. path]);
            }
            else
            {
                Read(children, path, paths);
            }

            path.RemoveAt(path.Count - 1);
        }
    }

    private static bool IsJson(string text, bool key)
    {
        try
        {
            var node = JsonNode.Parse(text);
            return !key || node is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>structured-merge-diff's order of elements: fields, then keys, values and indexes.</summary>
    private static int Rank(string element) => element[0] switch { 'f' => 0, 'k' => 1, 'v' => 2, _ => 3 };

    private sealed class Node
    {
        public bool Member { get; set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0)
            {
                json["."] = new JsonObject();
            }

            foreach (var (element, child) in Children.OrderBy(c => Rank(c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal))
            {
                json[element] = child.ToJson();
            }

            return json;
        }
    }

    /// <summary>The element for field <paramref name="name"/>.</summary>
    public static string Field(string name) => "f:" + name;

    /// <summary>The element for a list item whose key fields are <paramref name="key"/> (sorted by name, as structured-merge-diff writes them).</summary>
    public static string Key(IEnumerable<KeyValuePair<string, JsonNode?>> key) =>
        "k:" + new JsonObject(key.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => KeyValuePair.Create(k.Key, k.Value?.DeepClone()))).ToJsonString(Compact);

    /// <summary>The element for a set item <paramref name="value"/>.</summary>
    public static string Value(JsonNode? value) => "v:" + (value?.ToJsonString(Compact) ?? "null");

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
