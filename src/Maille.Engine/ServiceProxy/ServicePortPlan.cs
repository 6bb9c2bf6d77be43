using System.Net;
using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// What one node's service proxy does for one Service port: the addresses it captures (ClusterIP, the NodePort on the
/// node's own address, LoadBalancer ingress IPs and externalIPs), the policies, and the endpoints each kind of traffic
/// may use. Endpoint lists are sorted by address then port, so two plans of the same cluster are equal.
/// </summary>
/// <remarks>
/// Internal traffic is traffic to the ClusterIP; external traffic is traffic to the NodePort, a LoadBalancer IP or an
/// externalIP. The two endpoint lists are <see cref="Services.EndpointCategorization"/>'s (kube-proxy's
/// CategorizeEndpoints): ready endpoints, or when none is ready the serving terminating ones (decided cluster-wide for
/// <see cref="ClusterEndpoints"/>, on this node for <see cref="LocalEndpoints"/>).
/// </remarks>
public sealed record ServicePortPlan
{
    public required ServicePortId Id { get; init; }

    public Protocol Protocol => Id.Protocol;

    /// <summary>The lab's kernel has no SCTP: such ports are planned (analysis needs them) but get no rules.</summary>
    public bool KernelSupported => Protocol is Protocol.TCP or Protocol.UDP;

    public required IPAddress ClusterIP { get; init; }

    public required int Port { get; init; }

    /// <summary>The NodePort, captured on this node's own address (never on 127.0.0.1, as kube-proxy's nftables mode).</summary>
    public int? NodePort { get; init; }

    public EquatableArray<IPAddress> LoadBalancerIPs { get; init; } = EquatableArray<IPAddress>.Empty;

    public EquatableArray<IPAddress> ExternalIPs { get; init; } = EquatableArray<IPAddress>.Empty;

    /// <summary>
    /// <c>loadBalancerSourceRanges</c>, enforced on LoadBalancer IPs only; empty allows every source. When this node's
    /// address is inside them the LoadBalancer IPs are allowed too (a node reaching its own LoadBalancer).
    /// </summary>
    public EquatableArray<IPNetwork> SourceRanges { get; init; } = EquatableArray<IPNetwork>.Empty;

    public bool InternalTrafficLocal { get; init; }

    public bool ExternalTrafficLocal { get; init; }

    /// <summary><c>sessionAffinity: ClientIP</c>'s timeout; null without affinity.</summary>
    public int? AffinityTimeoutSeconds { get; init; }

    /// <summary>Endpoints anywhere in the cluster (ready ones, or the serving terminating ones when none is ready).</summary>
    public EquatableArray<ProxyEndpoint> ClusterEndpoints { get; init; } = EquatableArray<ProxyEndpoint>.Empty;

    /// <summary>Endpoints on this node (ready ones, or this node's serving terminating ones when none here is ready).</summary>
    public EquatableArray<ProxyEndpoint> LocalEndpoints { get; init; } = EquatableArray<ProxyEndpoint>.Empty;

    /// <summary>Whether any usable endpoint exists; without one every kind of traffic is rejected rather than dropped.</summary>
    public bool HasEndpoints => ClusterEndpoints.Count > 0 || LocalEndpoints.Count > 0;

    /// <summary>The endpoints for ClusterIP traffic: this node's under <c>internalTrafficPolicy: Local</c>.</summary>
    public EquatableArray<ProxyEndpoint> InternalEndpoints => InternalTrafficLocal ? LocalEndpoints : ClusterEndpoints;

    /// <summary>
    /// The endpoints for external traffic from outside the cluster: this node's under
    /// <c>externalTrafficPolicy: Local</c> (pods and the node itself still use <see cref="ClusterEndpoints"/>).
    /// </summary>
    public EquatableArray<ProxyEndpoint> ExternalEndpoints => ExternalTrafficLocal ? LocalEndpoints : ClusterEndpoints;

    /// <summary>What a connection meets when its traffic kind has no endpoint.</summary>
    public EmptyServiceVerdict WhenEmpty => HasEndpoints ? EmptyServiceVerdict.Drop : EmptyServiceVerdict.Reject;

    public bool IsExternallyReachable => NodePort is not null || !LoadBalancerIPs.IsEmpty || !ExternalIPs.IsEmpty;
}
