using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>A Secret: its metadata, and for <c>kubernetes.io/tls</c> both keys the Ingress proxy needs.</summary>
internal static class SecretValidator
{
    public static void Validate(V1Secret secret, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("Secret", ns, secret.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if ((secret.Type ?? "Opaque") != Secret.TlsType)
        {
            return;
        }

        var data = ModelConverter.SecretData(secret);
        foreach (var key in new[] { "tls.crt", "tls.key" }.Where(k => !data.ContainsKey(k)))
        {
            errors.Required($"data[{key}]");
        }
    }
}
