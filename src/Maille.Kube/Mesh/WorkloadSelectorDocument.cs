using YamlDotNet.Serialization;

namespace Maille.Kube.Mesh;

/// <summary>Istio's <c>WorkloadSelector</c>: matchLabels only.</summary>
internal sealed class WorkloadSelectorDocument
{
    [YamlMember(Alias = "matchLabels")]
    public Dictionary<string, string>? MatchLabels { get; set; }
}
