using System.Net;

namespace Maille.Model;

/// <summary>A Service. Allocation fills <see cref="ClusterIP"/> and node ports; headless and ExternalName Services get none.</summary>
public sealed record Service
{
    public required ObjectMeta Meta { get; init; }

    public ServiceType Type { get; init; } = ServiceType.ClusterIP;

    /// <summary>Null when the Service has no selector (its endpoints come from EndpointSlices the user gives).</summary>
    public Labels? Selector { get; init; }

    public EquatableArray<ServicePort> Ports { get; init; } = EquatableArray<ServicePort>.Empty;

    /// <summary>The allocated or requested ClusterIP; null while unallocated.</summary>
    public IPAddress? ClusterIP { get; init; }

    /// <summary><c>clusterIP: None</c>.</summary>
    public bool Headless { get; init; }

    public string? ExternalName { get; init; }

    public EquatableArray<string> ExternalIPs { get; init; } = EquatableArray<string>.Empty;

    public string? LoadBalancerIP { get; init; }

    public EquatableArray<string> LoadBalancerSourceRanges { get; init; } = EquatableArray<string>.Empty;

    public string? LoadBalancerClass { get; init; }

    /// <summary>Addresses in <c>status.loadBalancer.ingress</c>.</summary>
    public EquatableArray<string> LoadBalancerIngress { get; init; } = EquatableArray<string>.Empty;

    public TrafficPolicy ExternalTrafficPolicy { get; init; } = TrafficPolicy.Cluster;

    public TrafficPolicy InternalTrafficPolicy { get; init; } = TrafficPolicy.Cluster;

    public bool SessionAffinityClientIP { get; init; }

    public int SessionAffinityTimeoutSeconds { get; init; } = 10800;

    public bool PublishNotReadyAddresses { get; init; }

    public bool AllocateLoadBalancerNodePorts { get; init; } = true;

    public int? HealthCheckNodePort { get; init; }

    public string Name => Meta.Name;

    public string Namespace => Meta.Namespace!;

    public string QualifiedName => Meta.QualifiedName;

    public bool NeedsClusterIP => Type != ServiceType.ExternalName && !Headless;

    public bool NeedsNodePorts => Type == ServiceType.NodePort || (Type == ServiceType.LoadBalancer && AllocateLoadBalancerNodePorts);
}
