using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Maille.Kube.Patching;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube.MetalLb;

/// <summary>
/// MetalLB's CustomResourceDefinitions for the kinds the lab takes (IPAddressPool, L2Advertisement), embedded as
/// MetalLB ships them (<c>MetalLb/Crds/</c>): the <c>v1beta1</c> schema the API server would serve for each, and the
/// columns its tables have.
/// </summary>
public static class MetalLbCrds
{
    public const string Version = "v1beta1";

    private static readonly Lazy<FrozenDictionary<string, JsonObject>> Versions = new(Read);

    /// <summary>The <c>openAPIV3Schema</c> of <paramref name="kind"/> (a copy), or null for a kind MetalLB's CRDs do not define.</summary>
    public static JsonObject? Schema(string kind) =>
        Versions.Value.GetValueOrDefault(kind)?["schema"]?["openAPIV3Schema"]?.DeepClone().AsObject();

    /// <summary>
    /// The columns the API server prints for <paramref name="kind"/>: NAME, then the CRD's
    /// <c>additionalPrinterColumns</c> (name, and whether only <c>-o wide</c> shows it: priority above 0).
    /// </summary>
    public static IReadOnlyList<(string Name, bool Wide)> Columns(string kind) =>
        Versions.Value.GetValueOrDefault(kind)?["additionalPrinterColumns"] is JsonArray columns
            ? [("Name", false), .. columns.Select(c => ((string)c!["name"]!, ((int?)c["priority"] ?? 0) > 0))]
            : [("Name", false), ("Age", false)];

    private static FrozenDictionary<string, JsonObject> Read()
    {
        var assembly = typeof(MetalLbCrds).Assembly;
        var versions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("metallb/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var yaml = new YamlStream();
            yaml.Load(reader);
            var crd = (JsonObject)ManifestJson.Convert(yaml.Documents[0].RootNode)!;
            var kind = (string)crd["spec"]!["names"]!["kind"]!;
            versions[kind] = crd["spec"]!["versions"]!.AsArray().Single(v => (string?)v!["name"] == Version)!.AsObject();
        }

        return versions.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
