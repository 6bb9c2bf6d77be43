namespace Maille.Kube.Views;

/// <summary>The kinds <c>maille get</c> lists, with kubectl's names, plurals and short names.</summary>
public enum ResourceKind
{
    Nodes,
    Namespaces,
    Pods,
    Services,
    EndpointSlices,
    NetworkPolicies,
    Ingresses,
    Deployments,
    ReplicaSets,
    StatefulSets,
    DaemonSets,
    GatewayClasses,
    Gateways,
    HttpRoutes,
    GrpcRoutes,
    ReferenceGrants,
    ClusterNetworkPolicies,
}
