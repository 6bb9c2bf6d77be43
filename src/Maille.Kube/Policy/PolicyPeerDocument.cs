using k8s.Models;
using YamlDotNet.Serialization;

namespace Maille.Kube.Policy;

/// <summary>
/// A subject or a peer of the policy.networking.k8s.io kinds (both versions): namespaces, pods, and for egress peers
/// nodes, networks and domainNames. Which fields a place allows is the validator's business.
/// </summary>
internal sealed class PolicyPeerDocument
{
    [YamlMember(Alias = "namespaces")]
    public V1LabelSelector? Namespaces { get; set; }

    [YamlMember(Alias = "pods")]
    public NamespacedPodDocument? Pods { get; set; }

    [YamlMember(Alias = "nodes")]
    public V1LabelSelector? Nodes { get; set; }

    [YamlMember(Alias = "networks")]
    public List<string?>? Networks { get; set; }

    [YamlMember(Alias = "domainNames")]
    public List<string?>? DomainNames { get; set; }

    /// <summary>How many fields are set (the CRDs want exactly one).</summary>
    public int FieldCount =>
        (Namespaces is null ? 0 : 1) + (Pods is null ? 0 : 1) + (Nodes is null ? 0 : 1) + (Networks is null ? 0 : 1) + (DomainNames is null ? 0 : 1);

    internal sealed class NamespacedPodDocument
    {
        [YamlMember(Alias = "namespaceSelector")]
        public V1LabelSelector? NamespaceSelector { get; set; }

        [YamlMember(Alias = "podSelector")]
        public V1LabelSelector? PodSelector { get; set; }
    }
}
