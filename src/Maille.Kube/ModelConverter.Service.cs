using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube;

internal sealed partial class ModelConverter
{
    private static readonly string[] ServiceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] AffinityValues = ["ClientIP", "None"];

    public Service ConvertService(V1Service service, string ns, SourceLocation source)
    {
        var errors = Errors("Service", ns, service.Metadata?.Name ?? "", source);
        CheckMeta(errors, service.Metadata, NameRules.Dns1035Label);
        var spec = service.Spec ?? new V1ServiceSpec();
        var type = spec.Type switch
        {
            null or "" or "ClusterIP" => ServiceType.ClusterIP,
            "NodePort" => ServiceType.NodePort,
            "LoadBalancer" => ServiceType.LoadBalancer,
            "ExternalName" => ServiceType.ExternalName,
            _ => Unsupported(errors, "spec.type", spec.Type, ServiceTypes, ServiceType.ClusterIP),
        };

        var clusterIPText = spec.ClusterIP ?? spec.ClusterIPs?.FirstOrDefault();
        var headless = clusterIPText == "None";
        System.Net.IPAddress? clusterIP = null;
        if (type == ServiceType.ExternalName)
        {
            // The API server checks the cluster IP first, then the name without its optional trailing dot.
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
        }
        else if (headless)
        {
            if (type is ServiceType.NodePort or ServiceType.LoadBalancer)
            {
                errors.Invalid("spec.clusterIP", "None", $"may not be set to 'None' for {type} services");
            }
        }
        else if (!string.IsNullOrEmpty(clusterIPText))
        {
            clusterIP = Address(clusterIPText);
            if (clusterIP is null)
            {
                errors.Invalid("spec.clusterIP", clusterIPText, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }

        var ports = ConvertServicePorts(errors, spec, type, headless);

        if (spec.Selector is { Count: > 0 })
        {
            CheckLabels(errors, spec.Selector, "spec.selector");
        }

        // validateServiceExternalTrafficPolicy: any value (Cluster too) is refused on a Service that is not reachable from
        // outside: neither NodePort nor LoadBalancer, and no externalIPs.
        var externallyAccessible = type is ServiceType.NodePort or ServiceType.LoadBalancer
            || (type == ServiceType.ClusterIP && spec.ExternalIPs is { Count: > 0 });
        var externalPolicy = TrafficPolicy.Cluster;
        if (!string.IsNullOrEmpty(spec.ExternalTrafficPolicy) && !externallyAccessible)
        {
            errors.Invalid("spec.externalTrafficPolicy", spec.ExternalTrafficPolicy, "may only be set for externally-accessible services");
        }
        else
        {
            externalPolicy = TrafficPolicyOf(errors, spec.ExternalTrafficPolicy, "spec.externalTrafficPolicy");
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

        var externalIPs = spec.ExternalIPs ?? [];
        for (var i = 0; i < externalIPs.Count; i++)
        {
            if (Address(externalIPs[i]) is null)
            {
                errors.Invalid($"spec.externalIPs[{i}]", externalIPs[i], "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
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
            InternalTrafficPolicy = TrafficPolicyOf(errors, spec.InternalTrafficPolicy, "spec.internalTrafficPolicy"),
            SessionAffinityClientIP = affinity,
            SessionAffinityTimeoutSeconds = timeout,
            PublishNotReadyAddresses = spec.PublishNotReadyAddresses ?? false,
            AllocateLoadBalancerNodePorts = spec.AllocateLoadBalancerNodePorts ?? true,
            HealthCheckNodePort = spec.HealthCheckNodePort,
        };
    }

    private static List<ServicePort> ConvertServicePorts(FieldErrors errors, V1ServiceSpec spec, ServiceType type, bool headless)
    {
        var declared = spec.Ports ?? [];
        if (declared.Count == 0 && !headless && type != ServiceType.ExternalName)
        {
            errors.Required("spec.ports");
        }

        var ports = new List<ServicePort>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<(int, Protocol)>();
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
            if (!keys.Add((port.Port, protocol)))
            {
                errors.Duplicate(at, $"{port.Port}/{protocol}");
            }

            var target = PortRefOf(errors, port.TargetPort, $"{at}.targetPort") ?? PortRef.FromNumber(port.Port);
            if (port.NodePort is { } nodePort && nodePort != 0)
            {
                if (type is ServiceType.ClusterIP or ServiceType.ExternalName)
                {
                    errors.Forbidden($"{at}.nodePort", $"may not be used when `type` is '{type}'");
                }
                else
                {
                    CheckPortNumber(errors, nodePort, $"{at}.nodePort");
                }
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
