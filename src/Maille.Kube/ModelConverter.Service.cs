using k8s.Models;
using Maille.Model;

namespace Maille.Kube;

internal static partial class ModelConverter
{
    /// <summary>A Service type as the model knows it, or null for one Kubernetes does not (converted as ClusterIP).</summary>
    public static ServiceType? ServiceTypeOf(string? type) => type switch
    {
        null or "" or "ClusterIP" => ServiceType.ClusterIP,
        "NodePort" => ServiceType.NodePort,
        "LoadBalancer" => ServiceType.LoadBalancer,
        "ExternalName" => ServiceType.ExternalName,
        _ => null,
    };

    /// <summary>The cluster IP as written: <c>clusterIP</c>, else the first of <c>clusterIPs</c>; "None" for a headless Service.</summary>
    public static string? ClusterIPText(V1ServiceSpec spec) => spec.ClusterIP ?? spec.ClusterIPs?.FirstOrDefault();

    public static Service ConvertService(V1Service service, string ns, SourceLocation source)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var type = ServiceTypeOf(spec.Type) ?? ServiceType.ClusterIP;
        var clusterIPText = ClusterIPText(spec);
        var headless = clusterIPText == "None";
        var affinity = spec.SessionAffinity == "ClientIP";

        // Any externalTrafficPolicy on a Service not reachable from outside is refused, and converted as Cluster.
        var externallyAccessible = type is ServiceType.NodePort or ServiceType.LoadBalancer
            || (type == ServiceType.ClusterIP && (spec.ExternalIPs?.Count ?? 0) > 0);
        return new Service
        {
            Meta = Meta(service.Metadata, ns, source),
            Type = type,
            Selector = spec.Selector is { Count: > 0 } ? Labels.From(spec.Selector) : null,
            Ports = new((spec.Ports ?? []).Select(port => ServicePortOf(port, type))),
            ClusterIP = headless || type == ServiceType.ExternalName ? null : StrictIPAddress.Parse(clusterIPText),
            Headless = headless,
            ExternalName = type == ServiceType.ExternalName ? spec.ExternalName : null,
            ExternalIPs = new(spec.ExternalIPs ?? []),
            LoadBalancerIP = string.IsNullOrEmpty(spec.LoadBalancerIP) ? null : spec.LoadBalancerIP,
            LoadBalancerSourceRanges = new((spec.LoadBalancerSourceRanges ?? []).Select(r => r.Trim())),
            LoadBalancerClass = spec.LoadBalancerClass,
            LoadBalancerIngress = new((service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip ?? i.Hostname).OfType<string>()),
            ExternalTrafficPolicy = externallyAccessible ? TrafficPolicyOf(spec.ExternalTrafficPolicy) : TrafficPolicy.Cluster,
            InternalTrafficPolicy = TrafficPolicyOf(spec.InternalTrafficPolicy),
            SessionAffinityClientIP = affinity,
            SessionAffinityTimeoutSeconds = spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800,
            PublishNotReadyAddresses = spec.PublishNotReadyAddresses ?? false,
            AllocateLoadBalancerNodePorts = spec.AllocateLoadBalancerNodePorts ?? true,
            HealthCheckNodePort = spec.HealthCheckNodePort,
        };
    }

    /// <summary>A Service port; a node port only where the type has node ports, and the port itself when no target is given.</summary>
    private static ServicePort ServicePortOf(V1ServicePort port, ServiceType type) => new()
    {
        Name = string.IsNullOrEmpty(port.Name) ? null : port.Name,
        Protocol = ProtocolOf(port.Protocol),
        Port = port.Port,
        TargetPort = PortRefOf(port.TargetPort) ?? PortRef.FromNumber(port.Port),
        NodePort = port.NodePort is 0 || type is ServiceType.ClusterIP or ServiceType.ExternalName ? null : port.NodePort,
        AppProtocol = port.AppProtocol,
    };

    private static TrafficPolicy TrafficPolicyOf(string? value) => value == "Local" ? TrafficPolicy.Local : TrafficPolicy.Cluster;
}
