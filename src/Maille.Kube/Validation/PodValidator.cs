using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>A Pod: its metadata and its spec (status, read from dumps, is taken as it is).</summary>
internal static class PodValidator
{
    public static void Validate(V1Pod pod, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("Pod", ns, pod.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        PodSpecValidator.Validate(errors, pod.Spec, "spec");
    }
}
