using YamlDotNet.Serialization;
using k8s.Models;

namespace Maille.Kube.Gateway;

/// <summary>The on-disk shape of a ReferenceGrant (gateway.networking.k8s.io/v1beta1).</summary>
internal sealed class ReferenceGrantDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public GrantSpec? Spec { get; set; }

    internal sealed class GrantSpec
    {
        [YamlMember(Alias = "from")]
        public List<Subject?>? From { get; set; }

        [YamlMember(Alias = "to")]
        public List<Subject?>? To { get; set; }
    }

    internal sealed class Subject
    {
        [YamlMember(Alias = "group")]
        public string? Group { get; set; }

        [YamlMember(Alias = "kind")]
        public string? Kind { get; set; }

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }

        [YamlMember(Alias = "name")]
        public string? Name { get; set; }
    }
}
