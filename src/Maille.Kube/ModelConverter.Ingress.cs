using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    public static Ingress ConvertIngress(V1Ingress ingress, string ns, SourceLocation source)
    {
        var spec = ingress.Spec ?? new V1IngressSpec();
        return new Ingress
        {
            Meta = Meta(ingress.Metadata, ns, source),
            IngressClassName = spec.IngressClassName,
            DefaultBackend = spec.DefaultBackend is null ? null : BackendOf(spec.DefaultBackend),
            Rules = new((spec.Rules ?? []).Select(rule => new IngressRule
            {
                Host = string.IsNullOrEmpty(rule.Host) ? null : rule.Host,
                Paths = new((rule.Http?.Paths ?? []).Select(path => new IngressPath
                {
                    Path = path.Path,
                    PathType = path.PathType,
                    Backend = path.Backend is null ? new IngressBackend() : BackendOf(path.Backend),
                })),
            })),
            Tls = new((spec.Tls ?? []).Select(entry => new IngressTls(new(entry.Hosts ?? []), entry.SecretName))),
            LoadBalancerIngress = new((ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()),
        };
    }

    /// <summary>A backend's Service and port (none when both or neither of name and number are set) or its resource.</summary>
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
