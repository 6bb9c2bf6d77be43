using Maille.Engine.Validation;
using Maille.Kube.Gateway;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>A GatewayClass: its name and a controllerName (a domain-prefixed path, at most 253 characters).</summary>
internal static class GatewayClassValidator
{
    private const string ControllerNamePattern = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$";

    public static void Validate(GatewayClassDocument document, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(GatewayApi.GatewayClassKind, null, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var controller = document.Spec?.ControllerName;
        if (GatewaySchema.Required(errors, "spec.controllerName", controller))
        {
            GatewaySchema.MaxLength(errors, "spec.controllerName", controller, 253);
            GatewaySchema.Pattern(errors, "spec.controllerName", controller, ControllerNamePattern);
        }

        GatewaySchema.MaxLength(errors, "spec.description", document.Spec?.Description, 64);
    }
}
