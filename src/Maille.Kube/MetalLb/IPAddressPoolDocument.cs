using YamlDotNet.Serialization;
using k8s.Models;

namespace Maille.Kube.MetalLb;

/// <summary>
/// The on-disk shape of MetalLB's <c>IPAddressPool</c> (<c>metallb.io/v1beta1</c>), read with KubernetesClient's YAML
/// deserializer (KubernetesClient has no type for it). Only the fields Maille uses; others are ignored.
/// </summary>
internal sealed class IPAddressPoolDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public PoolSpec? Spec { get; set; }

    internal sealed class PoolSpec
    {
        [YamlMember(Alias = "addresses")]
        public List<string>? Addresses { get; set; }

        [YamlMember(Alias = "autoAssign")]
        public bool? AutoAssign { get; set; }

        [YamlMember(Alias = "avoidBuggyIPs")]
        public bool? AvoidBuggyIPs { get; set; }

        [YamlMember(Alias = "serviceAllocation")]
        public ServiceAllocationSpec? ServiceAllocation { get; set; }
    }

    internal sealed class ServiceAllocationSpec
    {
        [YamlMember(Alias = "priority")]
        public int? Priority { get; set; }

        [YamlMember(Alias = "namespaces")]
        public List<string>? Namespaces { get; set; }

        [YamlMember(Alias = "namespaceSelectors")]
        public List<V1LabelSelector>? NamespaceSelectors { get; set; }

        [YamlMember(Alias = "serviceSelectors")]
        public List<V1LabelSelector>? ServiceSelectors { get; set; }
    }
}
