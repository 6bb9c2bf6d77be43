using Maille.Engine.Validation;
using Maille.Kube.Gateway;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// A Gateway as its CRD validates it: a class name, 1–64 listeners each with a section name, a port in 1–65535, a
/// protocol, a hostname of the route-hostname pattern, TLS only where the protocol has it (Terminate with
/// certificateRefs for HTTPS), allowedRoutes' enum, and the CEL rules across listeners (unique names; unique port,
/// protocol and hostname). A waypoint (class <c>istio-waypoint</c>) also has its <c>istio.io/waypoint-for</c> label checked.
/// </summary>
internal static class GatewayValidator
{
    private const string ProtocolPattern = @"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$";

    public static void Validate(GatewayDocument document, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate(GatewayApi.GatewayKind, ns, document.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = document.Spec ?? new GatewayDocument.GatewaySpec();
        if (GatewaySchema.Required(errors, "spec.gatewayClassName", spec.GatewayClassName))
        {
            GatewaySchema.MaxLength(errors, "spec.gatewayClassName", spec.GatewayClassName, 253);
        }

        if (spec.GatewayClassName == MeshApi.WaypointClassName)
        {
            Waypoint(errors, document);
        }

        GatewaySchema.MaxItems(errors, "spec.addresses", spec.Addresses, 16);
        var listeners = spec.Listeners ?? [];
        if (listeners.Count == 0)
        {
            errors.Required("spec.listeners");
            return;
        }

        GatewaySchema.MaxItems(errors, "spec.listeners", listeners, 64);
        for (var i = 0; i < listeners.Count; i++)
        {
            ValidateListener(errors, $"spec.listeners[{i}]", listeners[i] ?? new GatewayDocument.ListenerSpec());
        }

        var present = listeners.OfType<GatewayDocument.ListenerSpec>().ToList();
        if (present.Any(l => l.Protocol is "HTTP" or "TCP" or "UDP" && l.Tls is not null))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
        }

        if (present.Any(l => l.Protocol == "HTTPS" && l.Tls?.Mode is not (null or "Terminate")))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "tls mode must be Terminate for protocol HTTPS");
        }

        if (present.Any(l => l.Protocol == "TLS" && l.Tls?.Mode is null))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "tls mode must be set for protocol TLS");
        }

        if (present.Any(l => l.Protocol is "TCP" or "UDP" && !string.IsNullOrEmpty(l.Hostname)))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "hostname must not be specified for protocols ['TCP', 'UDP']");
        }

        if (present.GroupBy(l => l.Name).Any(g => g.Count() > 1))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "Listener name must be unique within the Gateway");
        }

        if (present.GroupBy(l => (l.Port, l.Protocol, l.Hostname ?? "")).Any(g => g.Count() > 1))
        {
            GatewaySchema.Rule(errors, "spec.listeners", "array", "Combination of port, protocol and hostname must be unique for each listener");
        }
    }

    /// <summary>
    /// A waypoint's <c>istio.io/waypoint-for</c>: Istio's four values. Maille models the waypoint of Services, so
    /// <c>workload</c> and <c>all</c> get a warning: traffic addressed to a pod does not go through it here.
    /// </summary>
    private static void Waypoint(FieldErrors errors, GatewayDocument document)
    {
        var at = $"metadata.labels[{MeshApi.WaypointForLabel}]";
        if (document.Metadata?.Labels?.TryGetValue(MeshApi.WaypointForLabel, out var waypointFor) != true)
        {
            return;
        }

        if (waypointFor is not ("service" or "workload" or "all" or "none"))
        {
            errors.NotSupported(at, waypointFor, ["service", "workload", "all", "none"]);
        }
        else if (waypointFor is "workload" or "all")
        {
            errors.Warning(at, $"Maille models the waypoint of Services only: traffic addressed to a pod does not go through this waypoint{(waypointFor == "workload" ? ", and no Service's does either" : "")}");
        }
    }

    private static void ValidateListener(FieldErrors errors, string at, GatewayDocument.ListenerSpec listener)
    {
        if (GatewaySchema.Required(errors, $"{at}.name", listener.Name))
        {
            GatewaySchema.MaxLength(errors, $"{at}.name", listener.Name, 253);
            GatewaySchema.Pattern(errors, $"{at}.name", listener.Name, GatewaySchema.SectionNamePattern);
        }

        GatewaySchema.Hostname(errors, $"{at}.hostname", listener.Hostname);
        if (listener.Port is null)
        {
            errors.Required($"{at}.port");
        }

        GatewaySchema.Range(errors, $"{at}.port", listener.Port, 1, 65535);
        if (GatewaySchema.Required(errors, $"{at}.protocol", listener.Protocol))
        {
            GatewaySchema.MaxLength(errors, $"{at}.protocol", listener.Protocol, 255);
            GatewaySchema.Pattern(errors, $"{at}.protocol", listener.Protocol, ProtocolPattern);
        }

        if (listener.Tls is { } tls)
        {
            GatewaySchema.Enum(errors, $"{at}.tls.mode", tls.Mode, ["Terminate", "Passthrough"]);
            GatewaySchema.MaxItems(errors, $"{at}.tls.certificateRefs", tls.CertificateRefs, 64);
            if ((tls.Mode ?? "Terminate") == "Terminate" && (tls.CertificateRefs ?? []).Count == 0 && (tls.Options ?? []).Count == 0)
            {
                GatewaySchema.Rule(errors, $"{at}.tls", "object", "certificateRefs or options must be specified when mode is Terminate");
            }

            var refs = tls.CertificateRefs ?? [];
            for (var c = 0; c < refs.Count; c++)
            {
                var cert = refs[c] ?? new ObjectReferenceDocument();
                GatewaySchema.Required(errors, $"{at}.tls.certificateRefs[{c}].name", cert.Name);
                GatewaySchema.MaxLength(errors, $"{at}.tls.certificateRefs[{c}].name", cert.Name, 253);
                GatewaySchema.MaxLength(errors, $"{at}.tls.certificateRefs[{c}].namespace", cert.Namespace, 63);
            }
        }

        if (listener.AllowedRoutes is { } allowed)
        {
            GatewaySchema.Enum(errors, $"{at}.allowedRoutes.namespaces.from", allowed.Namespaces?.From, ["All", "Selector", "Same"]);
            LabelSelectorValidator.Validate(errors, allowed.Namespaces?.Selector, $"{at}.allowedRoutes.namespaces.selector");
            GatewaySchema.MaxItems(errors, $"{at}.allowedRoutes.kinds", allowed.Kinds, 8);
            var kinds = allowed.Kinds ?? [];
            for (var k = 0; k < kinds.Count; k++)
            {
                if (GatewaySchema.Required(errors, $"{at}.allowedRoutes.kinds[{k}].kind", kinds[k]?.Kind))
                {
                    GatewaySchema.Pattern(errors, $"{at}.allowedRoutes.kinds[{k}].kind", kinds[k]!.Kind, GatewaySchema.KindPattern);
                }
            }
        }
    }
}
