using Maille.Engine.Validation;
using Maille.Kube.Policy;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// The v1alpha1 kinds as their CRDs validated them: AdminNetworkPolicy (priority 0–1000, actions Allow, Deny, Pass) and
/// BaselineAdminNetworkPolicy (named <c>default</c>, actions Allow and Deny), subjects and peers as in v1alpha2, and
/// <c>ports</c> entries with exactly one of portNumber, namedPort and portRange. Each object also gets a note saying
/// how it was read: as a ClusterNetworkPolicy of the Admin or Baseline tier.
/// </summary>
internal static class AdminNetworkPolicyValidator
{
    private static readonly string[] AdminActions = ["Allow", "Deny", "Pass"];
    private static readonly string[] BaselineActions = ["Allow", "Deny"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    public static void Validate(ClusterNetworkPolicyDocument document, string kind, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var baseline = kind == PolicyApi.BaselineAdminNetworkPolicyKind;
        var errors = ObjectMetaValidator.Validate(kind, null, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        if (baseline && document.Metadata?.Name is { Length: > 0 } name && name != "default")
        {
            GatewaySchema.Rule(errors, "metadata.name", "string", "Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster");
        }

        if (document.Spec is not { } spec)
        {
            errors.Required("spec");
            return;
        }

        if (!baseline)
        {
            ClusterNetworkPolicyValidator.ValidatePriority(errors, spec.Priority);
        }

        ClusterNetworkPolicyValidator.ValidateSubject(errors, spec.Subject);
        var actions = baseline ? BaselineActions : AdminActions;
        ClusterNetworkPolicyValidator.ValidateRules(errors, "spec.ingress", spec.Ingress, PolicyDirection.Ingress, actions, ValidatePorts);
        ClusterNetworkPolicyValidator.ValidateRules(errors, "spec.egress", spec.Egress, PolicyDirection.Egress, actions, ValidatePorts);
        errors.Warning("apiVersion", baseline
            ? "policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy is read as a ClusterNetworkPolicy of the Baseline tier (priority 0, Allow as Accept); v1alpha2 ClusterNetworkPolicy replaces it"
            : $"policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy is read as a ClusterNetworkPolicy of the Admin tier (priority {spec.Priority ?? 0}, Allow as Accept); v1alpha2 ClusterNetworkPolicy replaces it");
    }

    /// <summary>A rule's v1alpha1 <c>ports</c>; true when one of them is a namedPort.</summary>
    private static bool ValidatePorts(FieldErrors errors, string rule, ClusterNetworkPolicyDocument.Rule entries)
    {
        var ports = entries.Ports ?? [];
        GatewaySchema.MaxItems(errors, $"{rule}.ports", ports, 100);
        for (var p = 0; p < ports.Count; p++)
        {
            ValidatePort(errors, $"{rule}.ports[{p}]", ports[p] ?? new ClusterNetworkPolicyDocument.AdminPort());
        }

        return ports.Any(p => p?.NamedPort is not null);
    }

    private static void ValidatePort(FieldErrors errors, string at, ClusterNetworkPolicyDocument.AdminPort port)
    {
        ClusterNetworkPolicyValidator.ExactlyOne(errors, at, (port.PortNumber is null ? 0 : 1) + (port.NamedPort is null ? 0 : 1) + (port.PortRange is null ? 0 : 1));
        if (port.PortNumber is { } number)
        {
            GatewaySchema.Enum(errors, $"{at}.portNumber.protocol", number.Protocol, Protocols);
            if (number.Port is null)
            {
                errors.Required($"{at}.portNumber.port");
            }

            GatewaySchema.Range(errors, $"{at}.portNumber.port", number.Port, 1, 65535);
        }

        if (port.PortRange is { } range)
        {
            GatewaySchema.Enum(errors, $"{at}.portRange.protocol", range.Protocol, Protocols);
            ClusterNetworkPolicyValidator.ValidateRange(errors, $"{at}.portRange", range);
        }

        if (port.NamedPort is { } named)
        {
            foreach (var problem in NameRules.PortName(named))
            {
                errors.Invalid($"{at}.namedPort", named, problem);
            }
        }
    }
}
