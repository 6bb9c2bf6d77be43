using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Api;

/// <summary>
/// A served object as the API writes it: the Kubernetes object, with its own <c>metadata.resourceVersion</c> and, for
/// an object written through the API, its <c>metadata.managedFields</c>.
/// </summary>
internal static class ApiJson
{
    public static JsonObject Write(ApiObject item, long resourceVersion, ImmutableArray<ManagedFieldsEntry> managedFields = default)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(item.Write()))!.AsObject();
        if (json["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
            if (!managedFields.IsDefaultOrEmpty)
            {
                metadata["managedFields"] = FieldManager.ToJson(managedFields);
            }
        }

        return json;
    }

    /// <summary>The key the lab's desired state knows a served object by.</summary>
    public static ObjectKey KeyOf(ApiResource resource, ApiObject item) => new(resource.Group, resource.Kind, item.Meta.Namespace ?? "", item.Meta.Name);
}
