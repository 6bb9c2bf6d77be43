using YamlDotNet.Serialization;

namespace Maille.Kube.Policy;

/// <summary>An inclusive port range of the policy.networking.k8s.io kinds; v1alpha1's carries a protocol too.</summary>
internal sealed class PortRangeDocument
{
    [YamlMember(Alias = "protocol")]
    public string? Protocol { get; set; }

    [YamlMember(Alias = "start")]
    public int? Start { get; set; }

    [YamlMember(Alias = "end")]
    public int? End { get; set; }
}
