using k8s.Models;
using YamlDotNet.Serialization;

namespace Maille.Kube.Mesh;

/// <summary>The on-disk shape of an Istio PeerAuthentication (<c>security.istio.io/v1</c>).</summary>
internal sealed class PeerAuthenticationDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public PeerAuthenticationSpec? Spec { get; set; }

    internal sealed class PeerAuthenticationSpec
    {
        [YamlMember(Alias = "selector")]
        public WorkloadSelectorDocument? Selector { get; set; }

        [YamlMember(Alias = "mtls")]
        public Mtls? Mtls { get; set; }

        /// <summary>Keys are port numbers; kept as text so that a bad key is an error naming it.</summary>
        [YamlMember(Alias = "portLevelMtls")]
        public Dictionary<string, Mtls?>? PortLevelMtls { get; set; }
    }

    internal sealed class Mtls
    {
        [YamlMember(Alias = "mode")]
        public string? Mode { get; set; }
    }
}
