using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maille.Kube.Patching;

/// <summary>
/// A stored object (YAML, as the user wrote it) as JSON, the form patches are written against. Plain scalars are
/// typed as YAML 1.2's core schema types them (null, booleans, numbers written as JSON numbers); quoted ones are
/// strings. A number keeps its spelling (<c>1.10</c> stays <c>1.10</c>), so a string field written unquoted reads back
/// the same once the patched object is read as YAML again.
/// </summary>
public static class ManifestJson
{
    public static JsonObject Of(ManifestDocument document) => (JsonObject)Convert(document.Root)!;

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children
            .Where(p => p.Key is YamlScalarNode)
            .Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Convert(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && IsJsonNumber(text))
        {
            return JsonNode.Parse(text);
        }

        return JsonValue.Create(text);
    }

    private static bool IsJsonNumber(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
            return reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
