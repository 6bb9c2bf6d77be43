using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>A Node: its metadata and <c>spec.podCIDR</c>. Overlaps between nodes are found when planning (NodeTopology).</summary>
internal static class NodeValidator
{
    public static void Validate(V1Node node, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("Node", null, node.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if (!string.IsNullOrEmpty(node.Spec?.PodCIDR) && IpBlock.TryParse(node.Spec.PodCIDR) is null)
        {
            errors.Invalid("spec.podCIDR", node.Spec.PodCIDR, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
    }
}
