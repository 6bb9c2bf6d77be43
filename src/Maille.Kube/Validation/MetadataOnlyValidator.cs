using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// The kinds Maille checks by their metadata alone, each with its own name rule: a Namespace's name is a DNS-1123
/// label (it becomes a DNS label of every Service name in it), an IngressClass's a subdomain; Maille reads the
/// IngressClass's <c>spec.controller</c> as it is.
/// </summary>
internal static class MetadataOnlyValidator
{
    public static void ValidateNamespace(V1Namespace ns, SourceLocation source, List<Diagnostic> diagnostics) =>
        ObjectMetaValidator.Validate("Namespace", null, ns.Metadata, NameRules.Dns1123Label, source, diagnostics);

    public static void ValidateIngressClass(V1IngressClass ingressClass, SourceLocation source, List<Diagnostic> diagnostics) =>
        ObjectMetaValidator.Validate("IngressClass", null, ingressClass.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
}
