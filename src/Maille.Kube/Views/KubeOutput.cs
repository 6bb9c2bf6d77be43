using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Maille.Kube.Views;

/// <summary>Prints Kubernetes objects as kubectl does: one object, or a <c>List</c> with <c>items</c>; JSON indented by four spaces.</summary>
internal static class KubeOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4 };

    public static void WriteJson(TextWriter writer, IReadOnlyList<object> items, bool single)
    {
        var node = single ? ToNode(items[0]) : List(items);
        writer.WriteLine(node.ToJsonString(Indented));
    }

    public static void WriteYaml(TextWriter writer, IReadOnlyList<object> items, bool single)
    {
        if (single)
        {
            // An object written from JSON (a custom resource's) serializes without the final newline a typed one has.
            var yaml = KubernetesYaml.Serialize(items[0]);
            writer.Write(yaml.EndsWith('\n') ? yaml : yaml + "\n");
            return;
        }

        writer.WriteLine("apiVersion: v1");
        writer.WriteLine(items.Count == 0 ? "items: []" : "items:");
        foreach (var item in items)
        {
            var lines = KubernetesYaml.Serialize(item).TrimEnd('\n').Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                writer.WriteLine((i == 0 ? "- " : "  ") + lines[i]);
            }
        }

        writer.WriteLine("kind: List");
        writer.WriteLine("metadata:");
        writer.WriteLine("  resourceVersion: \"\"");
    }

    public static JsonObject List(IReadOnlyList<object> items) => new()
    {
        ["apiVersion"] = "v1",
        ["items"] = new JsonArray([.. items.Select(ToNode)]),
        ["kind"] = "List",
        ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
    };

    public static JsonNode ToNode(object item) => JsonNode.Parse(KubernetesJson.Serialize(item))!;
}
