using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Maille.Kube.Patching;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>
/// CustomResourceDefinitions embedded in Maille.Kube as their projects ship them (the resources whose logical name
/// starts with <c>prefix/</c>): each version's schema, as the API server would serve it, and the columns its tables
/// have. Read once, on first use.
/// </summary>
public sealed class EmbeddedCrds(string prefix)
{
    private readonly Lazy<FrozenDictionary<(string Kind, string Version), JsonObject>> _versions = new(() => Read(prefix));

    /// <summary>The <c>openAPIV3Schema</c> of <paramref name="kind"/> at <paramref name="version"/> (a copy), or null when the CRDs do not define it.</summary>
    public JsonObject? Schema(string kind, string version) => SharedSchema(kind, version)?.DeepClone().AsObject();

    /// <summary>
    /// The same schema without a copy, for reading only (a walk of an object's fields on every write): the HTTPRoute's
    /// is hundreds of kilobytes, too much to copy per request. Never change it.
    /// </summary>
    internal JsonObject? SharedSchema(string kind, string version) =>
        _versions.Value.GetValueOrDefault((kind, version))?["schema"]?["openAPIV3Schema"] as JsonObject;

    /// <summary>
    /// The columns the API server prints for <paramref name="kind"/> at <paramref name="version"/>: NAME, then the
    /// CRD's <c>additionalPrinterColumns</c> (name, and whether only <c>-o wide</c> shows it: priority above 0).
    /// </summary>
    public IReadOnlyList<(string Name, bool Wide)> Columns(string kind, string version) =>
        _versions.Value.GetValueOrDefault((kind, version))?["additionalPrinterColumns"] is JsonArray columns
            ? [("Name", false), .. columns.Select(c => ((string)c!["name"]!, ((int?)c["priority"] ?? 0) > 0))]
            : [("Name", false), ("Age", false)];

    private static FrozenDictionary<(string Kind, string Version), JsonObject> Read(string prefix)
    {
        var assembly = typeof(EmbeddedCrds).Assembly;
        var versions = new Dictionary<(string Kind, string Version), JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix + "/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var yaml = new YamlStream();
            yaml.Load(reader);
            var crd = (JsonObject)ManifestJson.Convert(yaml.Documents[0].RootNode)!;
            var kind = (string)crd["spec"]!["names"]!["kind"]!;
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                versions[(kind, (string)version!["name"]!)] = version.AsObject();
            }
        }

        return versions.ToFrozenDictionary();
    }
}
