using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];

    public Ingress ConvertIngress(V1Ingress ingress, string ns, SourceLocation source)
    {
        var errors = Errors("Ingress", ns, ingress.Metadata?.Name ?? "", source);
        CheckMeta(errors, ingress.Metadata, NameRules.Dns1123Subdomain);
        var spec = ingress.Spec ?? new V1IngressSpec();
        if ((spec.Rules?.Count ?? 0) == 0 && spec.DefaultBackend is null)
        {
            // Reported on spec with the (empty) rules as Go prints them, as ValidateIngressSpec does.
            errors.Invalid("spec", GoLiteral.EmptySlice("networking.IngressRule", spec.Rules is null), "either `defaultBackend` or `rules` must be specified");
        }

        IngressBackend? defaultBackend = null;
        if (spec.DefaultBackend is not null)
        {
            CheckBackend(errors, spec.DefaultBackend, "spec.defaultBackend");
            defaultBackend = BackendOf(spec.DefaultBackend);
        }

        var rules = new List<IngressRule>();
        for (var r = 0; r < (spec.Rules?.Count ?? 0); r++)
        {
            var rule = spec.Rules![r];
            var at = $"spec.rules[{r}]";
            if (!string.IsNullOrEmpty(rule.Host))
            {
                if (Address(rule.Host) is not null)
                {
                    errors.Invalid($"{at}.host", rule.Host, "must be a DNS name, not an IP address");
                }

                CheckIngressHost(errors, rule.Host, $"{at}.host");
            }

            var paths = new List<IngressPath>();
            if (rule.Http is { } http)
            {
                if ((http.Paths?.Count ?? 0) == 0)
                {
                    errors.Required($"{at}.http.paths");
                }

                for (var p = 0; p < (http.Paths?.Count ?? 0); p++)
                {
                    paths.Add(ConvertIngressPath(errors, http.Paths![p], $"{at}.http.paths[{p}]"));
                }
            }

            rules.Add(new IngressRule { Host = string.IsNullOrEmpty(rule.Host) ? null : rule.Host, Paths = new(paths) });
        }

        var tls = new List<IngressTls>();
        for (var t = 0; t < (spec.Tls?.Count ?? 0); t++)
        {
            var entry = spec.Tls![t];
            var hosts = entry.Hosts ?? [];
            for (var h = 0; h < hosts.Count; h++)
            {
                CheckIngressHost(errors, hosts[h], $"spec.tls[{t}].hosts[{h}]");
            }

            if (!string.IsNullOrEmpty(entry.SecretName))
            {
                foreach (var problem in NameRules.Dns1123Subdomain(entry.SecretName))
                {
                    errors.Invalid($"spec.tls[{t}].secretName", entry.SecretName, problem);
                }
            }

            tls.Add(new IngressTls(new(hosts), entry.SecretName));
        }

        if (spec.IngressClassName is { } className)
        {
            foreach (var problem in NameRules.Dns1123Subdomain(className))
            {
                errors.Invalid("spec.ingressClassName", className, problem);
            }
        }

        return new Ingress
        {
            Meta = Meta(ingress.Metadata, ns, source),
            IngressClassName = spec.IngressClassName,
            DefaultBackend = defaultBackend,
            Rules = new(rules),
            Tls = new(tls),
            LoadBalancerIngress = new((ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()),
        };
    }

    /// <summary>The DNS checks shared by rule hosts and TLS hosts (only rule hosts also refuse IP addresses).</summary>
    private static void CheckIngressHost(FieldErrors errors, string host, string path)
    {
        var problems = host.Contains('*', StringComparison.Ordinal) ? NameRules.WildcardDns1123Subdomain(host) : NameRules.Dns1123Subdomain(host);
        foreach (var problem in problems)
        {
            errors.Invalid(path, host, problem);
        }
    }

    private static IngressPath ConvertIngressPath(FieldErrors errors, V1HTTPIngressPath path, string at)
    {
        var pathType = path.PathType;
        var text = path.Path;
        var model = new IngressPath
        {
            Path = text,
            PathType = pathType,
            Backend = path.Backend is null ? new IngressBackend() : BackendOf(path.Backend),
        };

        // validateHTTPIngressPath stops at a missing pathType, before the path and the backend.
        if (string.IsNullOrEmpty(pathType))
        {
            errors.Required($"{at}.pathType", "pathType must be specified");
            return model;
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

        CheckBackend(errors, path.Backend ?? new V1IngressBackend(), $"{at}.backend");
        return model;
    }

    /// <summary>validateIngressBackend: exactly one of service and resource, and a service port by name or by number.</summary>
    private static void CheckBackend(FieldErrors errors, V1IngressBackend backend, string at)
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
            CheckResourceBackend(errors, resource, $"{at}.resource");
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
            CheckPortNumber(errors, number, $"{at}.service.port.number");
        }
        else
        {
            errors.Required(at, "port name or number is required");
        }
    }

    /// <summary>validateIngressTypedLocalObjectReference: a DNS apiGroup, and a kind and name usable in a URL path.</summary>
    private static void CheckResourceBackend(FieldErrors errors, V1TypedLocalObjectReference resource, string at)
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

    private static IngressBackend BackendOf(V1IngressBackend backend)
    {
        IngressServiceBackend? service = null;
        if (backend.Service is { } s)
        {
            var hasName = !string.IsNullOrEmpty(s.Port?.Name);
            var number = s.Port?.Number ?? 0;
            PortRef? port = (hasName, number != 0) switch
            {
                (true, false) => PortRef.FromName(s.Port!.Name),
                (false, true) => PortRef.FromNumber(number),
                _ => null,
            };
            service = new IngressServiceBackend(s.Name ?? "", port);
        }

        return new IngressBackend
        {
            Service = service,
            Resource = backend.Resource is { } r ? $"{r.Kind}/{r.Name}" : null,
        };
    }
}
