using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    private static readonly string[] ServiceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] AffinityValues = ["ClientIP", "None"];

    /// <summary>Kubelet's port, which a LoadBalancer may not expose (a guard against over-open cloud firewalls).</summary>
    private const int KubeletPort = 10250;

    /// <summary>
    /// Converts and validates a Service, in the order of the API server's ValidateService so that several errors on one
    /// Service come out as kubectl would list them: ports, type-specific rules, each port, selector, session affinity,
    /// externalIPs, type, nodePorts, duplicates, load-balancer fields, traffic policies, and the cluster IP last.
    /// </summary>
    public Service ConvertService(V1Service service, string ns, SourceLocation source)
    {
        var errors = Errors("Service", ns, service.Metadata?.Name ?? "", source);
        CheckMeta(errors, service.Metadata, NameRules.Dns1035Label);
        var spec = service.Spec ?? new V1ServiceSpec();
        ServiceType? known = spec.Type switch
        {
            null or "" or "ClusterIP" => ServiceType.ClusterIP,
            "NodePort" => ServiceType.NodePort,
            "LoadBalancer" => ServiceType.LoadBalancer,
            "ExternalName" => ServiceType.ExternalName,
            _ => null,
        };
        var type = known ?? ServiceType.ClusterIP;
        var declared = spec.Ports ?? [];
        var clusterIPText = spec.ClusterIP ?? spec.ClusterIPs?.FirstOrDefault();
        var headless = clusterIPText == "None";

        if (declared.Count == 0 && !headless && type != ServiceType.ExternalName)
        {
            errors.Required("spec.ports");
        }

        switch (known)
        {
            case ServiceType.LoadBalancer or ServiceType.NodePort:
                for (var i = 0; known == ServiceType.LoadBalancer && i < declared.Count; i++)
                {
                    if (declared[i].Port == KubeletPort)
                    {
                        errors.Invalid($"spec.ports[{i}]", KubeletPort, $"may not expose port {KubeletPort} externally since it is used by kubelet");
                    }
                }

                if (headless)
                {
                    errors.Invalid("spec.clusterIP", "None", $"may not be set to 'None' for {known} services");
                }

                break;
            case ServiceType.ExternalName:
                // The cluster IP first, then the name without its optional trailing dot.
                if (!string.IsNullOrEmpty(clusterIPText))
                {
                    errors.Forbidden("spec.clusterIP", "may not be set for ExternalName services");
                }

                var cname = (spec.ExternalName ?? "").TrimEnd('.');
                if (cname.Length == 0)
                {
                    errors.Required("spec.externalName");
                }
                else
                {
                    foreach (var problem in NameRules.Dns1123Subdomain(cname))
                    {
                        errors.Invalid("spec.externalName", cname, problem);
                    }
                }

                break;
            default:
                break;
        }

        var ports = ConvertServicePorts(errors, declared, type);

        if (spec.Selector is { Count: > 0 })
        {
            CheckLabels(errors, spec.Selector, "spec.selector");
        }

        var affinity = spec.SessionAffinity switch
        {
            null or "" or "None" => false,
            "ClientIP" => true,
            _ => Unsupported(errors, "spec.sessionAffinity", spec.SessionAffinity, AffinityValues, false),
        };
        var timeout = spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800;
        if (affinity && timeout is <= 0 or > 86400)
        {
            errors.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout, "must be greater than 0 and less than 86400");
        }
        else if (spec.SessionAffinity == "None" && spec.SessionAffinityConfig is not null)
        {
            errors.Forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None");
        }

        var externalIPs = spec.ExternalIPs ?? [];
        for (var i = 0; i < externalIPs.Count; i++)
        {
            if (Address(externalIPs[i]) is null)
            {
                errors.Invalid($"spec.externalIPs[{i}]", externalIPs[i], "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }

        if (known is null)
        {
            errors.NotSupported("spec.type", spec.Type, ServiceTypes);
        }

        // Kubernetes only forbids nodePort on a ClusterIP Service; an ExternalName one has no node ports either.
        for (var i = 0; known is ServiceType.ClusterIP or ServiceType.ExternalName && i < declared.Count; i++)
        {
            if (declared[i].NodePort is { } nodePort && nodePort != 0)
            {
                errors.Forbidden($"spec.ports[{i}].nodePort", $"may not be used when `type` is '{known}'");
            }
        }

        // Duplicate node ports within the Service are found with the cross-Service ones (ClusterValidator).
        var keys = new HashSet<(int, Protocol)>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (!keys.Add((ports[i].Port, ports[i].Protocol)))
            {
                errors.Duplicate($"spec.ports[{i}]", $"{ports[i].Port}/{ports[i].Protocol}");
            }
        }

        var sourceRanges = spec.LoadBalancerSourceRanges ?? [];
        if (sourceRanges.Count > 0 && type != ServiceType.LoadBalancer)
        {
            errors.Forbidden("spec.loadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'");
        }

        for (var i = 0; i < sourceRanges.Count; i++)
        {
            if (IpBlock.TryParse(sourceRanges[i]?.Trim() ?? "") is null)
            {
                errors.Invalid($"spec.loadBalancerSourceRanges[{i}]", sourceRanges[i], "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }

        if (spec.AllocateLoadBalancerNodePorts is not null && type != ServiceType.LoadBalancer)
        {
            errors.Forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'");
        }

        // validateServiceExternalTrafficPolicy: any value (Cluster too) is refused on a Service that is not reachable from
        // outside: neither NodePort nor LoadBalancer, and no externalIPs.
        var externallyAccessible = type is ServiceType.NodePort or ServiceType.LoadBalancer
            || (type == ServiceType.ClusterIP && externalIPs.Count > 0);
        var externalPolicy = TrafficPolicy.Cluster;
        if (!string.IsNullOrEmpty(spec.ExternalTrafficPolicy) && !externallyAccessible)
        {
            errors.Invalid("spec.externalTrafficPolicy", spec.ExternalTrafficPolicy, "may only be set for externally-accessible services");
        }
        else
        {
            externalPolicy = TrafficPolicyOf(errors, spec.ExternalTrafficPolicy, "spec.externalTrafficPolicy");
        }

        var internalPolicy = TrafficPolicyOf(errors, spec.InternalTrafficPolicy, "spec.internalTrafficPolicy");

        // The cluster IP's own form is checked last, as validateServiceClusterIPs comes last upstream.
        System.Net.IPAddress? clusterIP = null;
        if (!headless && type != ServiceType.ExternalName && !string.IsNullOrEmpty(clusterIPText))
        {
            clusterIP = Address(clusterIPText);
            if (clusterIP is null)
            {
                errors.Invalid("spec.clusterIP", clusterIPText, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }

        return new Service
        {
            Meta = Meta(service.Metadata, ns, source),
            Type = type,
            Selector = spec.Selector is { Count: > 0 } ? Labels.From(spec.Selector) : null,
            Ports = new(ports),
            ClusterIP = clusterIP,
            Headless = headless,
            ExternalName = type == ServiceType.ExternalName ? spec.ExternalName : null,
            ExternalIPs = new(externalIPs),
            LoadBalancerIP = string.IsNullOrEmpty(spec.LoadBalancerIP) ? null : spec.LoadBalancerIP,
            LoadBalancerSourceRanges = new(sourceRanges.Select(r => r.Trim())),
            LoadBalancerClass = spec.LoadBalancerClass,
            LoadBalancerIngress = new((service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()),
            ExternalTrafficPolicy = externalPolicy,
            InternalTrafficPolicy = internalPolicy,
            SessionAffinityClientIP = affinity,
            SessionAffinityTimeoutSeconds = timeout,
            PublishNotReadyAddresses = spec.PublishNotReadyAddresses ?? false,
            AllocateLoadBalancerNodePorts = spec.AllocateLoadBalancerNodePorts ?? true,
            HealthCheckNodePort = spec.HealthCheckNodePort,
        };
    }

    /// <summary>validateServicePort for each port: name (required when several, a DNS label, unique), port, protocol, targetPort.</summary>
    private static List<ServicePort> ConvertServicePorts(FieldErrors errors, IList<V1ServicePort> declared, ServiceType type)
    {
        var ports = new List<ServicePort>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Count; i++)
        {
            var port = declared[i];
            var at = $"spec.ports[{i}]";
            if (declared.Count > 1 && string.IsNullOrEmpty(port.Name))
            {
                errors.Required($"{at}.name");
            }
            else if (!string.IsNullOrEmpty(port.Name))
            {
                foreach (var problem in NameRules.Dns1123Label(port.Name))
                {
                    errors.Invalid($"{at}.name", port.Name, problem);
                }

                if (!names.Add(port.Name))
                {
                    errors.Duplicate($"{at}.name", port.Name);
                }
            }

            CheckPortNumber(errors, port.Port, $"{at}.port");
            var protocol = ProtocolOf(errors, port.Protocol, $"{at}.protocol");
            var target = PortRefOf(errors, port.TargetPort, $"{at}.targetPort") ?? PortRef.FromNumber(port.Port);
            if (port.NodePort is { } nodePort && nodePort != 0 && type is not (ServiceType.ClusterIP or ServiceType.ExternalName))
            {
                CheckPortNumber(errors, nodePort, $"{at}.nodePort");
            }

            ports.Add(new ServicePort
            {
                Name = string.IsNullOrEmpty(port.Name) ? null : port.Name,
                Protocol = protocol,
                Port = port.Port,
                TargetPort = target,
                NodePort = port.NodePort is 0 || type is ServiceType.ClusterIP or ServiceType.ExternalName ? null : port.NodePort,
                AppProtocol = port.AppProtocol,
            });
        }

        return ports;
    }

    private static TrafficPolicy TrafficPolicyOf(FieldErrors errors, string? value, string path) => value switch
    {
        null or "" or "Cluster" => TrafficPolicy.Cluster,
        "Local" => TrafficPolicy.Local,
        _ => Unsupported(errors, path, value, TrafficPolicies, TrafficPolicy.Cluster),
    };

    private static T Unsupported<T>(FieldErrors errors, string path, string? value, string[] supported, T fallback)
    {
        errors.NotSupported(path, value, supported);
        return fallback;
    }
}
