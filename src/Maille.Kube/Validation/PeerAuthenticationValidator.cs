using System.Globalization;
using Maille.Engine.Validation;
using Maille.Kube.Mesh;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// An Istio PeerAuthentication (<c>security.istio.io/v1</c>) as Istio validates it: <c>mtls.mode</c> one of UNSET,
/// DISABLE, PERMISSIVE, STRICT; <c>portLevelMtls</c> only with a selector, keyed by ports 1–65535, each with a mode.
/// Two cases Istio accepts but ambient ignores get a warning: a selector in the root namespace (ztunnel reads no
/// workload policy there), and DISABLE (the node proxies always speak mTLS; it reads as PERMISSIVE, docs/mesh.md).
/// </summary>
internal static class PeerAuthenticationValidator
{
    private static readonly string[] Modes = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"];

    public static void Validate(PeerAuthenticationDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(MeshApi.PeerAuthenticationKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new PeerAuthenticationDocument.PeerAuthenticationSpec();
        var hasSelector = spec.Selector?.MatchLabels is { Count: > 0 };
        if (spec.Selector is { } selector)
        {
            ObjectMetaValidator.ValidateLabels(errors, selector.MatchLabels, "spec.selector.matchLabels");
        }

        Mode(errors, "spec.mtls.mode", spec.Mtls?.Mode);
        if (spec.PortLevelMtls is { Count: > 0 } ports)
        {
            if (!hasSelector)
            {
                errors.Invalid("spec.portLevelMtls", "object", "portLevelMtls requires a workload selector (a mesh- or namespace-wide policy cannot set modes per port)");
            }

            foreach (var (key, mtls) in ports)
            {
                var at = $"spec.portLevelMtls[{key}]";
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    errors.Invalid(at, key, "port must be in the range 1..65535");
                }

                if (mtls is null)
                {
                    errors.Required($"{at}.mode", "each port-level entry needs an mtls mode");
                }
                else
                {
                    Mode(errors, $"{at}.mode", mtls.Mode);
                }
            }
        }

        if (hasSelector && ns == MeshApi.RootNamespace)
        {
            errors.Warning("spec.selector", $"a PeerAuthentication with a selector in the root namespace {MeshApi.RootNamespace} is ignored by the node proxies (ambient reads workload policies from the workload's own namespace)");
        }

        if (spec.Mtls?.Mode == "DISABLE" || (spec.PortLevelMtls?.Values.Any(m => m?.Mode == "DISABLE") ?? false))
        {
            errors.Warning("spec.mtls.mode", "DISABLE has no effect in ambient mode: the node proxies always speak mTLS to each other; Maille reads it as PERMISSIVE (plaintext from outside the mesh accepted)");
        }
    }

    private static void Mode(FieldErrors errors, string at, string? mode)
    {
        if (mode is not null && !Modes.Contains(mode, StringComparer.Ordinal))
        {
            errors.NotSupported(at, mode, Modes);
        }
    }
}
