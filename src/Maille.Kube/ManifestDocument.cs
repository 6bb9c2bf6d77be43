using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>
/// One Kubernetes object as the user wrote it (a YAML mapping, kept as a tree so that every scalar keeps its exact
/// spelling), with its key. A running lab stores its desired state as these: applying replaces documents by key,
/// deleting removes them, labelling edits <c>metadata.labels</c> in place.
/// </summary>
public sealed class ManifestDocument
{
    private string? _yaml;

    private ManifestDocument(ObjectKey key, YamlMappingNode root, string source)
    {
        Key = key;
        Root = root;
        Source = source;
    }

    public ObjectKey Key { get; }

    /// <summary>
    /// The object's tree. Never changed once the document is read (edits make a new document; <see cref="StampCreation"/>
    /// comes before any read), which is what lets its text and its loaded objects be kept.
    /// </summary>
    public YamlMappingNode Root { get; }

    /// <summary>The file (or request) the object was read from; lines of <see cref="Root"/> are lines there.</summary>
    public string Source { get; }

    /// <summary>
    /// Every object in <paramref name="text"/> (multi-document YAML or JSON; <c>List</c> kinds give their items).
    /// </summary>
    /// <exception cref="FormatException">Not YAML, or an object without apiVersion, kind or metadata.name; the message names the file and line.</exception>
    public static IReadOnlyList<ManifestDocument> Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{file}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }

        var documents = new List<ManifestDocument>();
        foreach (var document in stream.Documents)
        {
            Collect(file, document.RootNode, documents);
        }

        return documents;
    }

    /// <summary>The documents as one multi-document YAML text, in key order.</summary>
    public static string Render(IEnumerable<ManifestDocument> documents) => RenderInOrder(documents.OrderBy(d => d.Key));

    /// <summary>The documents as one multi-document YAML text, in the order given (a lab's state is kept sorted already).</summary>
    public static string RenderInOrder(IEnumerable<ManifestDocument> documents)
    {
        var writer = new StringWriter();
        WriteInOrder(writer, documents);
        return writer.ToString();
    }

    /// <summary>
    /// The documents as <see cref="RenderInOrder"/> makes them, written to <paramref name="writer"/>: a lab's state file
    /// streamed, never held as one string (which at 1,000 objects is a large-object allocation on every change).
    /// </summary>
    public static void WriteInOrder(TextWriter writer, IEnumerable<ManifestDocument> documents)
    {
        foreach (var document in documents)
        {
            writer.Write("---\n");
            writer.Write(document.ToYaml());
        }
    }

    /// <summary>The object as YAML on its own (made once: a lab of 10,000 objects renders its state on every change).</summary>
    public string ToYaml() => _yaml ??= Emit();

    private string Emit()
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(Root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // The serializer closes each document with "...", which a multi-document stream does not need.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>A copy whose <c>metadata.labels</c> are changed: a null value removes the label.</summary>
    public ManifestDocument WithLabels(IReadOnlyDictionary<string, string?> changes)
    {
        var copy = (YamlMappingNode)Parse("", ToYaml())[0].Root;
        var metadata = (YamlMappingNode)copy.Children[new YamlScalarNode("metadata")];
        if (!metadata.Children.TryGetValue(new YamlScalarNode("labels"), out var node) || node is not YamlMappingNode labels)
        {
            labels = [];
            metadata.Children[new YamlScalarNode("labels")] = labels;
        }

        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                labels.Children.Remove(new YamlScalarNode(name));
            }
            else
            {
                labels.Children[new YamlScalarNode(name)] = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
            }
        }

        return new ManifestDocument(Key, copy, Source);
    }

    /// <summary><c>metadata.creationTimestamp</c> as written, or null.</summary>
    public string? CreationTimestamp =>
        Root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
        && meta.Children.TryGetValue(new YamlScalarNode("creationTimestamp"), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : null;

    /// <summary>
    /// Sets <c>metadata.creationTimestamp</c> (RFC 3339) as the API server stamps an object it creates. Only for a
    /// document that was just parsed and that nothing has read yet (a lab stamps what it accepts before it compares or
    /// loads it): the tree is changed in place, so every node keeps its position and errors keep their lines.
    /// </summary>
    /// <exception cref="InvalidOperationException">The document was already read (its text exists).</exception>
    public void StampCreation(string timestamp) =>
        StampMetadata("creationTimestamp", new YamlScalarNode(timestamp) { Style = ScalarStyle.DoubleQuoted });

    /// <summary><c>metadata.generation</c> as stored (a lab stamps it), or 0.</summary>
    public long Generation => long.TryParse(MetadataScalar("generation"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    /// <summary>
    /// Sets <c>metadata.generation</c>, as the API server counts changes of an object's spec; like
    /// <see cref="StampCreation"/>, only for a document nothing has read yet.
    /// </summary>
    public void StampGeneration(long generation) =>
        StampMetadata("generation", new YamlScalarNode(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Sets one of <c>metadata.annotations</c>; like <see cref="StampCreation"/>, only for a document nothing has read yet.</summary>
    public void StampAnnotation(string name, string value)
    {
        var metadata = (YamlMappingNode)Root.Children[new YamlScalarNode("metadata")];
        if (!metadata.Children.TryGetValue(new YamlScalarNode("annotations"), out var node) || node is not YamlMappingNode annotations)
        {
            annotations = [];
            StampMetadata("annotations", annotations);
        }

        annotations.Children[new YamlScalarNode(name)] = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
    }

    /// <summary>The object's <c>metadata.annotations</c> as written.</summary>
    public IReadOnlyDictionary<string, string> Annotations => MetadataMap("annotations");

    /// <summary>
    /// The object's controller as its <c>ownerReferences</c> name it (the one with <c>controller: true</c>): kind and
    /// name, or null. The garbage collector deletes an object with its controller.
    /// </summary>
    public (string Kind, string Name)? Controller =>
        Root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
        && meta.Children.TryGetValue(new YamlScalarNode("ownerReferences"), out var node) && node is YamlSequenceNode references
        && references.Children.OfType<YamlMappingNode>().FirstOrDefault(r => Scalar(r, "controller") is "true" or "True") is { } reference
        && Scalar(reference, "kind") is { Length: > 0 } kind && Scalar(reference, "name") is { Length: > 0 } name
            ? (kind, name)
            : null;

    private void StampMetadata(string field, YamlNode value)
    {
        if (_yaml is not null)
        {
            throw new InvalidOperationException($"{Key} is stamped after it was read");
        }

        var metadata = (YamlMappingNode)Root.Children[new YamlScalarNode("metadata")];
        metadata.Children[new YamlScalarNode(field)] = value;
    }

    private string? MetadataScalar(string field) =>
        Root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta ? Scalar(meta, field) : null;

    private Dictionary<string, string> MetadataMap(string field) =>
        Root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
        && meta.Children.TryGetValue(new YamlScalarNode(field), out var node) && node is YamlMappingNode map
            ? map.Children.Where(p => p.Key is YamlScalarNode && p.Value is YamlScalarNode)
                .ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The object's labels as written.</summary>
    public IReadOnlyDictionary<string, string> Labels => MetadataMap("labels");

    /// <summary>Whether two documents say the same thing (compared as rendered YAML).</summary>
    public bool SameAs(ManifestDocument other) => Key == other.Key && ToYaml() == other.ToYaml();

    private static void Collect(string file, YamlNode node, List<ManifestDocument> documents)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        var line = node.Start.Line;
        if (node is not YamlMappingNode mapping)
        {
            throw new FormatException($"{file}:{line}: expected a Kubernetes object (a mapping with apiVersion and kind)");
        }

        var kind = Scalar(mapping, "kind");
        var apiVersion = Scalar(mapping, "apiVersion");
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            throw new FormatException($"{file}:{line}: every object needs apiVersion and kind");
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && Child(mapping, "items") is YamlSequenceNode items)
        {
            foreach (var item in items.Children)
            {
                Collect(file, item, documents);
            }

            return;
        }

        var metadata = Child(mapping, "metadata") as YamlMappingNode;
        var name = metadata is null ? null : Scalar(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException($"{file}:{line}: {kind}: metadata.name: Required value");
        }

        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var scope = ManifestLoader.IsClusterScoped(kind) ? "" : string.IsNullOrEmpty(ns) ? "default" : ns;
        documents.Add(new ManifestDocument(new ObjectKey(group, kind, scope, name), mapping, file));
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;
}
