using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// ValidateIngressSpec: rules or a default backend, the default backend, each rule's host and paths, TLS hosts and
/// secret names, the class name. Which Ingress serves what is decided when planning (Engine/Ingress).
/// </summary>
internal static class IngressValidator
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

    public static void Validate(V1Ingress ingress, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("Ingress", ns, ingress.Metadata, NameRules.Dns1123Subdomain, source, diagnostics);
        var spec = ingress.Spec ?? new V1IngressSpec();
        if ((spec.Rules?.Count ?? 0) == 0 && spec.DefaultBackend is null)
        {
            // Reported on spec with the (empty) rules as Go prints them, as ValidateIngressSpec does.
            errors.Invalid("spec", GoLiteral.EmptySlice("networking.IngressRule", spec.Rules is null), "either `defaultBackend` or `rules` must be specified");
        }

        if (spec.DefaultBackend is not null)
        {
            ValidateBackend(errors, spec.DefaultBackend, "spec.defaultBackend");
        }

        for (var r = 0; r < (spec.Rules?.Count ?? 0); r++)
        {
            ValidateRule(errors, spec.Rules![r], $"spec.rules[{r}]");
        }

        for (var t = 0; t < (spec.Tls?.Count ?? 0); t++)
        {
            var entry = spec.Tls![t];
            var hosts = entry.Hosts ?? [];
            for (var h = 0; h < hosts.Count; h++)
            {
                ValidateHost(errors, hosts[h], $"spec.tls[{t}].hosts[{h}]");
            }

            if (!string.IsNullOrEmpty(entry.SecretName))
            {
                foreach (var problem in NameRules.Dns1123Subdomain(entry.SecretName))
                {
                    errors.Invalid($"spec.tls[{t}].secretName", entry.SecretName, problem);
                }
            }
        }

        if (spec.IngressClassName is { } className)
        {
            foreach (var problem in NameRules.Dns1123Subdomain(className))
            {
                errors.Invalid("spec.ingressClassName", className, problem);
            }
        }
    }

    private static void ValidateRule(FieldErrors errors, V1IngressRule rule, string at)
    {
        if (!string.IsNullOrEmpty(rule.Host))
        {
            if (StrictIPAddress.Parse(rule.Host) is not null)
            {
                errors.Invalid($"{at}.host", rule.Host, "must be a DNS name, not an IP address");
            }

            ValidateHost(errors, rule.Host, $"{at}.host");
        }

        if (rule.Http is not { } http)
        {
            return;
        }

        if ((http.Paths?.Count ?? 0) == 0)
        {
            errors.Required($"{at}.http.paths");
        }

        for (var p = 0; p < (http.Paths?.Count ?? 0); p++)
        {
            ValidatePath(errors, http.Paths![p], $"{at}.http.paths[{p}]");
        }
    }

    /// <summary>The DNS checks shared by rule hosts and TLS hosts (only rule hosts also refuse IP addresses).</summary>
    private static void ValidateHost(FieldErrors errors, string host, string path)
    {
        var problems = host.Contains('*', StringComparison.Ordinal) ? NameRules.WildcardDns1123Subdomain(host) : NameRules.Dns1123Subdomain(host);
        foreach (var problem in problems)
        {
            errors.Invalid(path, host, problem);
        }
    }

    /// <summary>validateHTTPIngressPath: stops at a missing pathType, before the path and the backend.</summary>
    private static void ValidatePath(FieldErrors errors, V1HTTPIngressPath path, string at)
    {
        var pathType = path.PathType;
        var text = path.Path;
        if (string.IsNullOrEmpty(pathType))
        {
            errors.Required($"{at}.pathType", "pathType must be specified");
            return;
        }

        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (text is null || !text.StartsWith('/'))
                {
                    errors.Invalid($"{at}.path", text ?? "", "must be an absolute path");
                }

                if (!string.IsNullOrEmpty(text))
                {
                    foreach (var invalid in new[] { "//", "/./", "/../", "%2f", "%2F" }.Where(s => text.Contains(s, StringComparison.Ordinal)))
                    {
                        errors.Invalid($"{at}.path", text, $"must not contain '{invalid}'");
                    }

                    foreach (var suffix in new[] { "/..", "/." }.Where(s => text.EndsWith(s, StringComparison.Ordinal)))
                    {
                        errors.Invalid($"{at}.path", text, $"cannot end with '{suffix}'");
                    }
                }

                break;
            case "ImplementationSpecific":
                if (!string.IsNullOrEmpty(text) && !text.StartsWith('/'))
                {
                    errors.Invalid($"{at}.path", text, "must be an absolute path");
                }

                break;
            default:
                errors.NotSupported($"{at}.pathType", pathType, PathTypes);
                break;
        }

        ValidateBackend(errors, path.Backend ?? new V1IngressBackend(), $"{at}.backend");
    }

    /// <summary>validateIngressBackend: exactly one of service and resource, and a service port by name or by number.</summary>
    private static void ValidateBackend(FieldErrors errors, V1IngressBackend backend, string at)
    {
        if (backend.Service is not null && backend.Resource is not null)
        {
            errors.Invalid(at, "", "cannot set both resource and service backends");
            return;
        }

        if (backend.Service is null && backend.Resource is null)
        {
            errors.Invalid(at, "", "resource or service backend is required");
            return;
        }

        if (backend.Resource is { } resource)
        {
            ValidateResourceBackend(errors, resource, $"{at}.resource");
            return;
        }

        var service = backend.Service!;
        if (string.IsNullOrEmpty(service.Name))
        {
            errors.Required($"{at}.service.name");
        }
        else
        {
            foreach (var problem in NameRules.Dns1035Label(service.Name))
            {
                errors.Invalid($"{at}.service.name", service.Name, problem);
            }
        }

        var name = service.Port?.Name;
        var number = service.Port?.Number ?? 0;
        if (!string.IsNullOrEmpty(name) && number != 0)
        {
            // Kubernetes reports this one on the backend itself, with an empty value.
            errors.Invalid(at, "", "cannot set both port name & port number");
        }
        else if (!string.IsNullOrEmpty(name))
        {
            foreach (var problem in NameRules.PortName(name))
            {
                errors.Invalid($"{at}.service.port.name", name, problem);
            }
        }
        else if (number != 0)
        {
            PortFieldValidator.ValidateNumber(errors, number, $"{at}.service.port.number");
        }
        else
        {
            errors.Required(at, "port name or number is required");
        }
    }

    /// <summary>validateIngressTypedLocalObjectReference: a DNS apiGroup, and a kind and name usable in a URL path.</summary>
    private static void ValidateResourceBackend(FieldErrors errors, V1TypedLocalObjectReference resource, string at)
    {
        if (resource.ApiGroup is { } group)
        {
            foreach (var problem in NameRules.Dns1123Subdomain(group))
            {
                errors.Invalid($"{at}.apiGroup", group, problem);
            }
        }

        foreach (var (field, value) in new[] { ("kind", resource.Kind), ("name", resource.Name) })
        {
            if (string.IsNullOrEmpty(value))
            {
                errors.Required($"{at}.{field}", $"{field} is required");
                continue;
            }

            foreach (var problem in NameRules.PathSegmentName(value))
            {
                errors.Invalid($"{at}.{field}", value, problem);
            }
        }
    }
}
