using System.Collections.Immutable;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

public static partial class IngressConversion
{
    /// <summary>
    /// An HTTP listener on 80 for every host, and an HTTPS listener on 443 per TLS host with its Secret (the first
    /// Ingress in precedence that lists the host wins, as the controller picks its certificate). Routes come from the
    /// Ingresses' namespaces, so every listener allows routes from all namespaces.
    /// </summary>
    private static List<GatewayListener> Listeners(List<Ingress> ingresses, GatewayTarget gateway, List<ReferenceGrant> grants, List<IngressConversionWarning> warnings)
    {
        var fromAll = new GatewayAllowedRoutes { From = "All" };
        var listeners = new List<GatewayListener> { new() { Name = "http", Port = 80, Protocol = "HTTP", AllowedRoutes = fromAll } };
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        var secretsByNamespace = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var ingress in ingresses)
        {
            for (var t = 0; t < ingress.Tls.Count; t++)
            {
                var tls = ingress.Tls[t];
                var tlsHosts = tls.Hosts.IsEmpty
                    ? ingress.Rules.Select(r => r.Host).OfType<string>().Distinct(StringComparer.Ordinal).ToList()
                    : [.. tls.Hosts];
                if (tls.SecretName is null)
                {
                    warnings.Add(Warn(ingress, $"spec.tls[{Invariant(t)}].secretName", $"missing: the Ingress controller presents its default certificate for {string.Join(", ", tlsHosts)}; an HTTPS listener needs a certificateRef, so none is written and HTTPS requests for these hosts get no listener"));
                    continue;
                }

                foreach (var host in tlsHosts.Select(HostName.Normalize))
                {
                    if (!hosts.Add(host))
                    {
                        continue;
                    }

                    listeners.Add(new GatewayListener
                    {
                        Name = "https-" + Slug(host),
                        Hostname = host,
                        Port = 443,
                        Protocol = "HTTPS",
                        TlsMode = "Terminate",
                        CertificateRefs = ImmutableArray.Create(new GatewayObjectReference("", "Secret", tls.SecretName, ingress.Namespace == gateway.Namespace ? null : ingress.Namespace)),
                        AllowedRoutes = fromAll,
                    });
                    if (ingress.Namespace != gateway.Namespace)
                    {
                        if (!secretsByNamespace.TryGetValue(ingress.Namespace, out var secrets))
                        {
                            secretsByNamespace[ingress.Namespace] = secrets = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        secrets.Add(tls.SecretName);
                    }
                }
            }
        }

        // A listener may name a Secret in another namespace only when that namespace grants it.
        grants.AddRange(secretsByNamespace.Select(s => new ReferenceGrant
        {
            Meta = new ObjectMeta { Name = $"{gateway.Name}-certificates", Namespace = s.Key },
            From = ImmutableArray.Create(new ReferenceGrantFrom(GatewayApi.Group, GatewayApi.GatewayKind, gateway.Namespace)),
            To = s.Value.Select(name => new ReferenceGrantTo("", "Secret", name)).ToImmutableArray(),
        }));
        return listeners;
    }
}
