using YamlDotNet.Serialization;
using k8s.Models;

namespace Maille.Kube.MetalLb;

/// <summary>
/// The on-disk shape of MetalLB's <c>L2Advertisement</c> (<c>metallb.io/v1beta1</c>). Only the fields Maille uses;
/// others (<c>serviceSelectors</c>, <c>preferredNodeSelectors</c>) are ignored.
/// </summary>
internal sealed class L2AdvertisementDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public AdvertisementSpec? Spec { get; set; }

    internal sealed class AdvertisementSpec
    {
        [YamlMember(Alias = "ipAddressPools")]
        public List<string>? IPAddressPools { get; set; }

        [YamlMember(Alias = "ipAddressPoolSelectors")]
        public List<V1LabelSelector>? IPAddressPoolSelectors { get; set; }

        [YamlMember(Alias = "nodeSelectors")]
        public List<V1LabelSelector>? NodeSelectors { get; set; }

        [YamlMember(Alias = "interfaces")]
        public List<string>? Interfaces { get; set; }
    }
}
