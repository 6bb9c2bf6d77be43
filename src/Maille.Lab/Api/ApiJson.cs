using System.Globalization;
using System.Text.Json.Nodes;
using k8s;

namespace Maille.Lab.Api;

/// <summary>A served object as the API writes it: the Kubernetes object, with its own <c>metadata.resourceVersion</c>.</summary>
internal static class ApiJson
{
    public static JsonObject Write(ApiObject item, long resourceVersion)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(item.Write()))!.AsObject();
        if (json["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        return json;
    }
}
