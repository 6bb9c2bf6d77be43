namespace Maille.Model;

/// <summary>Everything read from the input, converted but not yet validated or planned.</summary>
public sealed record ManifestSet
{
    public static ManifestSet Empty { get; } = new();

    public EquatableArray<Namespace> Namespaces { get; init; } = EquatableArray<Namespace>.Empty;

    public EquatableArray<Node> Nodes { get; init; } = EquatableArray<Node>.Empty;

    public EquatableArray<Pod> Pods { get; init; } = EquatableArray<Pod>.Empty;

    public EquatableArray<Workload> Workloads { get; init; } = EquatableArray<Workload>.Empty;

    public EquatableArray<ControllerRevision> ControllerRevisions { get; init; } = EquatableArray<ControllerRevision>.Empty;

    public EquatableArray<Service> Services { get; init; } = EquatableArray<Service>.Empty;

    public EquatableArray<EndpointSlice> EndpointSlices { get; init; } = EquatableArray<EndpointSlice>.Empty;

    public EquatableArray<NetworkPolicy> NetworkPolicies { get; init; } = EquatableArray<NetworkPolicy>.Empty;

    public EquatableArray<ClusterNetworkPolicy> ClusterNetworkPolicies { get; init; } = EquatableArray<ClusterNetworkPolicy>.Empty;

    public EquatableArray<AuthorizationPolicy> AuthorizationPolicies { get; init; } = EquatableArray<AuthorizationPolicy>.Empty;

    public EquatableArray<PeerAuthentication> PeerAuthentications { get; init; } = EquatableArray<PeerAuthentication>.Empty;

    public EquatableArray<Ingress> Ingresses { get; init; } = EquatableArray<Ingress>.Empty;

    public EquatableArray<IngressClass> IngressClasses { get; init; } = EquatableArray<IngressClass>.Empty;

    public EquatableArray<GatewayClass> GatewayClasses { get; init; } = EquatableArray<GatewayClass>.Empty;

    public EquatableArray<Gateway> Gateways { get; init; } = EquatableArray<Gateway>.Empty;

    public EquatableArray<HttpRoute> HttpRoutes { get; init; } = EquatableArray<HttpRoute>.Empty;

    public EquatableArray<GrpcRoute> GrpcRoutes { get; init; } = EquatableArray<GrpcRoute>.Empty;

    public EquatableArray<ReferenceGrant> ReferenceGrants { get; init; } = EquatableArray<ReferenceGrant>.Empty;

    public EquatableArray<Secret> Secrets { get; init; } = EquatableArray<Secret>.Empty;

    public EquatableArray<IPAddressPool> IPAddressPools { get; init; } = EquatableArray<IPAddressPool>.Empty;

    public EquatableArray<L2Advertisement> L2Advertisements { get; init; } = EquatableArray<L2Advertisement>.Empty;

    public EquatableArray<SkippedObject> Skipped { get; init; } = EquatableArray<SkippedObject>.Empty;
}
