using Maille.Engine.Validation;
using Maille.Kube.Gateway;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>A ReferenceGrant: 1–16 <c>from</c> (group, kind, namespace) and 1–16 <c>to</c> (group, kind, optional name).</summary>
internal static class ReferenceGrantValidator
{
    public static void Validate(ReferenceGrantDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(GatewayApi.ReferenceGrantKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new ReferenceGrantDocument.GrantSpec();
        Subjects(errors, "spec.from", spec.From, withNamespace: true);
        Subjects(errors, "spec.to", spec.To, withNamespace: false);
    }

    private static void Subjects(FieldErrors errors, string field, List<ReferenceGrantDocument.Subject?>? subjects, bool withNamespace)
    {
        if (subjects is null || subjects.Count == 0)
        {
            errors.Required(field);
            return;
        }

        GatewaySchema.MaxItems(errors, field, subjects, 16);
        for (var i = 0; i < subjects.Count; i++)
        {
            var at = $"{field}[{i}]";
            var subject = subjects[i] ?? new ReferenceGrantDocument.Subject();
            if (subject.Group is null)
            {
                errors.Required($"{at}.group");
            }
            else
            {
                GatewaySchema.MaxLength(errors, $"{at}.group", subject.Group, 253);
                GatewaySchema.Pattern(errors, $"{at}.group", subject.Group, GatewaySchema.GroupPattern);
            }

            if (GatewaySchema.Required(errors, $"{at}.kind", subject.Kind))
            {
                GatewaySchema.MaxLength(errors, $"{at}.kind", subject.Kind, 63);
                GatewaySchema.Pattern(errors, $"{at}.kind", subject.Kind, GatewaySchema.KindPattern);
            }

            if (withNamespace)
            {
                if (GatewaySchema.Required(errors, $"{at}.namespace", subject.Namespace))
                {
                    foreach (var problem in NameRules.Dns1123Label(subject.Namespace!))
                    {
                        errors.Invalid($"{at}.namespace", subject.Namespace, problem);
                    }
                }
            }
            else if (!string.IsNullOrEmpty(subject.Name))
            {
                GatewaySchema.MaxLength(errors, $"{at}.name", subject.Name, 253);
            }
        }
    }
}
