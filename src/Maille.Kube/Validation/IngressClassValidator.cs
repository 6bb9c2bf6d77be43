using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>An IngressClass: its metadata only (Maille reads <c>spec.controller</c> as it is).</summary>
internal static class IngressClassValidator
{
    public static void Validate(V1IngressClass ingressClass, SourceLocation source, List<Diagnostic> diagnostics) =>
        ObjectMetaValidator.Validate("IngressClass", null, ingressClass.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
}
