using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Maille.Lab.Agent;

/// <summary>
/// A custom resource as the API sends it (KubernetesClient has no model for them: MetalLB's kinds, ClusterNetworkPolicy):
/// its metadata, and the rest kept as it came.
/// </summary>
internal sealed class MetalLbObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Rest { get; set; }
}
