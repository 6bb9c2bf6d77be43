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
            errors.Invalid("spec.rules", "", "either `defaultBackend` or `rules` must be specified");
        }

        var defaultBackend = spec.DefaultBackend is null ? null : ConvertBackend(errors, spec.DefaultBackend, "spec.defaultBackend");
        var rules = new List<IngressRule>();
        for (var r = 0; r < (spec.Rules?.Count ?? 0); r++)
        {
            var rule = spec.Rules![r];
            var at = $"spec.rules[{r}]";
            if (!string.IsNullOrEmpty(rule.Host))
            {
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
        };
    }

    private static void CheckIngressHost(FieldErrors errors, string host, string path)
    {
        if (System.Net.IPAddress.TryParse(host, out _))
        {
            errors.Invalid(path, host, "must be a DNS name, not an IP address");
            return;
        }

        var problems = host.Contains('*', StringComparison.Ordinal) ? NameRules.WildcardDns1123Subdomain(host) : NameRules.Dns1123Subdomain(host);
        foreach (var problem in problems)
        {
            errors.Invalid(path, host, problem);
        }
    }

    private static IngressPath ConvertIngressPath(FieldErrors errors, V1HTTPIngressPath path, string at)
    {
        var pathType = path.PathType;
        if (string.IsNullOrEmpty(pathType))
        {
            errors.Required($"{at}.pathType", "pathType must be specified");
        }
        else if (!PathTypes.Contains(pathType, StringComparer.Ordinal))
        {
            errors.NotSupported($"{at}.pathType", pathType, PathTypes);
        }

        var text = path.Path;
        if (pathType is "Exact" or "Prefix" || !string.IsNullOrEmpty(text))
        {
            if (string.IsNullOrEmpty(text) || text[0] != '/')
            {
                errors.Invalid($"{at}.path", text ?? "", "must be an absolute path");
            }
            else if (pathType is "Exact" or "Prefix")
            {
                foreach (var invalid in new[] { "//", "/./", "/../", "%2f", "%2F" })
                {
                    if (text.Contains(invalid, StringComparison.Ordinal))
                    {
                        errors.Invalid($"{at}.path", text, $"must not contain '{invalid}'");
                    }
                }

                foreach (var suffix in new[] { "/..", "/." })
                {
                    if (text.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        errors.Invalid($"{at}.path", text, $"cannot end with '{suffix}'");
                    }
                }
            }
        }

        return new IngressPath
        {
            Path = text,
            PathType = pathType,
            Backend = path.Backend is null ? new IngressBackend() : ConvertBackend(errors, path.Backend, $"{at}.backend"),
        };
    }

    private static IngressBackend ConvertBackend(FieldErrors errors, V1IngressBackend backend, string at)
    {
        if (backend.Service is not null && backend.Resource is not null)
        {
            errors.Invalid(at, "", "cannot set both resource and service backends");
        }
        else if (backend.Service is null && backend.Resource is null)
        {
            errors.Invalid(at, "", "resource or service backend is required");
        }

        IngressServiceBackend? service = null;
        if (backend.Service is { } s)
        {
            foreach (var problem in NameRules.Dns1035Label(s.Name ?? ""))
            {
                errors.Invalid($"{at}.service.name", s.Name ?? "", problem);
            }

            PortRef? port = null;
            var hasName = !string.IsNullOrEmpty(s.Port?.Name);
            var hasNumber = s.Port?.Number is { } n && n != 0;
            if (hasName && hasNumber)
            {
                errors.Invalid($"{at}.service.port", $"{s.Port!.Name}/{s.Port.Number}", "cannot set both port name & port number");
            }
            else if (hasName)
            {
                foreach (var problem in NameRules.PortName(s.Port!.Name))
                {
                    errors.Invalid($"{at}.service.port.name", s.Port.Name, problem);
                }

                port = PortRef.FromName(s.Port.Name);
            }
            else if (hasNumber)
            {
                CheckPortNumber(errors, s.Port!.Number!.Value, $"{at}.service.port.number");
                port = PortRef.FromNumber(s.Port.Number.Value);
            }
            else
            {
                errors.Invalid($"{at}.service.port", "", "port name or number is required");
            }

            service = new IngressServiceBackend(s.Name ?? "", port);
        }

        return new IngressBackend
        {
            Service = service,
            Resource = backend.Resource is { } r ? $"{r.Kind}/{r.Name}" : null,
        };
    }
}
