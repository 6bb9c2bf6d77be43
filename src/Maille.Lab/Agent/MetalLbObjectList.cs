using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Maille.Lab.Agent;

/// <summary>A list of <see cref="MetalLbObject"/>, as the informer lists them.</summary>
internal sealed class MetalLbObjectList : IKubernetesObject<V1ListMeta>, IItems<MetalLbObject>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<MetalLbObject> Items { get; set; } = [];
}
