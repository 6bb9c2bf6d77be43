using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>ValidateNamespace: a DNS-1123 label for a name, labels and annotations.</summary>
internal static class NamespaceValidator
{
    public static void Validate(V1Namespace ns, SourceLocation source, List<Diagnostic> diagnostics) =>
        ObjectMetaValidator.Validate("Namespace", null, ns.Metadata, NameRules.Dns1123Label, source, diagnostics);
}
