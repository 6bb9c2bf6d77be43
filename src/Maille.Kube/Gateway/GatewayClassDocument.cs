using YamlDotNet.Serialization;
using k8s.Models;

namespace Maille.Kube.Gateway;

/// <summary>The on-disk shape of a GatewayClass (KubernetesClient has no Gateway API types). Only the fields Maille uses.</summary>
internal sealed class GatewayClassDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public ClassSpec? Spec { get; set; }

    internal sealed class ClassSpec
    {
        [YamlMember(Alias = "controllerName")]
        public string? ControllerName { get; set; }

        [YamlMember(Alias = "description")]
        public string? Description { get; set; }
    }
}
