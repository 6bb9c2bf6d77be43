using k8s.Models;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Kube.Validation;

/// <summary>
/// ValidateService, in the API server's order so that several errors on one Service come out as kubectl would list
/// them: ports, type-specific rules, each port, selector, session affinity, externalIPs, type, nodePorts, duplicates,
/// load-balancer fields, traffic policies, and the cluster IP last. Checks across Services (ClusterIP and NodePort
/// conflicts, ranges) are ClusterValidator's.
/// </summary>
internal static class ServiceValidator
{
    private static readonly string[] ServiceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private static readonly string[] AffinityValues = ["ClientIP", "None"];

    /// <summary>Kubelet's port, which a LoadBalancer may not expose (a guard against over-open cloud firewalls).</summary>
    private const int KubeletPort = 10250;

    public static void Validate(V1Service service, string ns, SourceLocation source, List<Diagnostic> diagnostics)
    {
        var errors = ObjectMetaValidator.Validate("Service", ns, service.Metadata, NameRules.Dns1035Label, source, diagnostics);
        var spec = service.Spec ?? new V1ServiceSpec();
        var known = ModelConverter.ServiceTypeOf(spec.Type);
        var type = known ?? ServiceType.ClusterIP;
        var declared = spec.Ports ?? [];
        var clusterIPText = ModelConverter.ClusterIPText(spec);
        var headless = clusterIPText == "None";

        if (declared.Count == 0 && !headless && type != ServiceType.ExternalName)
        {
            errors.Required("spec.ports");
        }

        ValidateTypeRules(errors, spec, known, headless, clusterIPText);
        ValidatePorts(errors, declared, type);

        if (spec.Selector is { Count: > 0 })
        {
            ObjectMetaValidator.ValidateLabels(errors, spec.Selector, "spec.selector");
        }

        ValidateSessionAffinity(errors, spec);

        var externalIPs = spec.ExternalIPs ?? [];
        for (var i = 0; i < externalIPs.Count; i++)
        {
            if (StrictIPAddress.Parse(externalIPs[i]) is null)
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
        for (var i = 0; i < declared.Count; i++)
        {
            var protocol = ModelConverter.ProtocolOf(declared[i].Protocol);
            if (!keys.Add((declared[i].Port, protocol)))
            {
                errors.Duplicate($"spec.ports[{i}]", $"{declared[i].Port}/{protocol}");
            }
        }

        ValidateLoadBalancerFields(errors, spec, type);
        ValidateTrafficPolicies(errors, spec, type, externalIPs.Count > 0);

        // The cluster IP's own form is checked last, as validateServiceClusterIPs comes last upstream.
        if (!headless && type != ServiceType.ExternalName && !string.IsNullOrEmpty(clusterIPText) && StrictIPAddress.Parse(clusterIPText) is null)
        {
            errors.Invalid("spec.clusterIP", clusterIPText, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }

    /// <summary>LoadBalancer and NodePort: no kubelet port (LoadBalancer), not headless; ExternalName: no cluster IP, a DNS name.</summary>
    private static void ValidateTypeRules(FieldErrors errors, V1ServiceSpec spec, ServiceType? known, bool headless, string? clusterIPText)
    {
        var declared = spec.Ports ?? [];
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
    }

    /// <summary>validateServicePort for each port: name (required when several, a DNS label, unique), port, protocol, targetPort, nodePort.</summary>
    private static void ValidatePorts(FieldErrors errors, IList<V1ServicePort> declared, ServiceType type)
    {
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

            PortFieldValidator.ValidateNumber(errors, port.Port, $"{at}.port");
            PortFieldValidator.ValidateProtocol(errors, port.Protocol, $"{at}.protocol");
            PortFieldValidator.ValidateReference(errors, port.TargetPort, $"{at}.targetPort");
            if (port.NodePort is { } nodePort && nodePort != 0 && type is not (ServiceType.ClusterIP or ServiceType.ExternalName))
            {
                PortFieldValidator.ValidateNumber(errors, nodePort, $"{at}.nodePort");
            }
        }
    }

    private static void ValidateSessionAffinity(FieldErrors errors, V1ServiceSpec spec)
    {
        if (spec.SessionAffinity is not (null or "" or "None" or "ClientIP"))
        {
            errors.NotSupported("spec.sessionAffinity", spec.SessionAffinity, AffinityValues);
        }

        var timeout = spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800;
        if (spec.SessionAffinity == "ClientIP" && timeout is <= 0 or > 86400)
        {
            errors.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout, "must be greater than 0 and less than 86400");
        }
        else if (spec.SessionAffinity == "None" && spec.SessionAffinityConfig is not null)
        {
            errors.Forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None");
        }
    }

    private static void ValidateLoadBalancerFields(FieldErrors errors, V1ServiceSpec spec, ServiceType type)
    {
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
    }

    /// <summary>
    /// validateServiceExternalTrafficPolicy: any value (Cluster too) is refused on a Service that is not reachable from
    /// outside: neither NodePort nor LoadBalancer, and no externalIPs. Then each policy is Cluster or Local.
    /// </summary>
    private static void ValidateTrafficPolicies(FieldErrors errors, V1ServiceSpec spec, ServiceType type, bool hasExternalIPs)
    {
        var externallyAccessible = type is ServiceType.NodePort or ServiceType.LoadBalancer || (type == ServiceType.ClusterIP && hasExternalIPs);
        if (!string.IsNullOrEmpty(spec.ExternalTrafficPolicy) && !externallyAccessible)
        {
            errors.Invalid("spec.externalTrafficPolicy", spec.ExternalTrafficPolicy, "may only be set for externally-accessible services");
        }
        else
        {
            ValidateTrafficPolicy(errors, spec.ExternalTrafficPolicy, "spec.externalTrafficPolicy");
        }

        ValidateTrafficPolicy(errors, spec.InternalTrafficPolicy, "spec.internalTrafficPolicy");
    }

    private static void ValidateTrafficPolicy(FieldErrors errors, string? value, string path)
    {
        if (value is not (null or "" or "Cluster" or "Local"))
        {
            errors.NotSupported(path, value, TrafficPolicies);
        }
    }
}
