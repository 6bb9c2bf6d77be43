using YamlDotNet.RepresentationModel;

namespace Maille.Kube;

/// <summary>
/// A ClusterConfig file with one field set from a command-line flag (<c>maille up --mesh-certificate-rotation</c>): the
/// file's own mapping with that key replaced or added, every other field kept as written (nodes included), so the lab
/// plans from one file whose value the flag chose; without a file, a ClusterConfig holding only that field.
/// </summary>
public static class ClusterConfigOverride
{
    /// <param name="configText">The ClusterConfig's text (already valid), or null when there is none.</param>
    public static string With(string? configText, string field, string value)
    {
        if (configText is null)
        {
            return $"apiVersion: {Model.ClusterConfig.ApiVersion}\nkind: {Model.ClusterConfig.KindName}\n{field}: {value}\n";
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(configText));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return With(null, field, value);
        }

        root.Children[new YamlScalarNode(field)] = new YamlScalarNode(value);
        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return text.ToString();
    }
}
