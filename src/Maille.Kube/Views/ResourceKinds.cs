namespace Maille.Kube.Views;

/// <summary>Parses kubectl's spellings of a kind (<c>svc</c>, <c>service</c>, <c>services</c>, <c>Service</c>…).</summary>
public static class ResourceKinds
{
    private static readonly Dictionary<string, ResourceKind> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nodes"] = ResourceKind.Nodes,
        ["node"] = ResourceKind.Nodes,
        ["no"] = ResourceKind.Nodes,
        ["namespaces"] = ResourceKind.Namespaces,
        ["namespace"] = ResourceKind.Namespaces,
        ["ns"] = ResourceKind.Namespaces,
        ["pods"] = ResourceKind.Pods,
        ["pod"] = ResourceKind.Pods,
        ["po"] = ResourceKind.Pods,
        ["services"] = ResourceKind.Services,
        ["service"] = ResourceKind.Services,
        ["svc"] = ResourceKind.Services,
        ["endpointslices"] = ResourceKind.EndpointSlices,
        ["endpointslice"] = ResourceKind.EndpointSlices,
        ["endpointslices.discovery.k8s.io"] = ResourceKind.EndpointSlices,
        ["networkpolicies"] = ResourceKind.NetworkPolicies,
        ["networkpolicy"] = ResourceKind.NetworkPolicies,
        ["netpol"] = ResourceKind.NetworkPolicies,
        ["ingresses"] = ResourceKind.Ingresses,
        ["ingress"] = ResourceKind.Ingresses,
        ["ing"] = ResourceKind.Ingresses,
        ["ingresses.networking.k8s.io"] = ResourceKind.Ingresses,
        ["networkpolicies.networking.k8s.io"] = ResourceKind.NetworkPolicies,
        ["deployments"] = ResourceKind.Deployments,
        ["deployment"] = ResourceKind.Deployments,
        ["deploy"] = ResourceKind.Deployments,
        ["deployments.apps"] = ResourceKind.Deployments,
        ["replicasets"] = ResourceKind.ReplicaSets,
        ["replicaset"] = ResourceKind.ReplicaSets,
        ["rs"] = ResourceKind.ReplicaSets,
        ["replicasets.apps"] = ResourceKind.ReplicaSets,
        ["statefulsets"] = ResourceKind.StatefulSets,
        ["statefulset"] = ResourceKind.StatefulSets,
        ["sts"] = ResourceKind.StatefulSets,
        ["statefulsets.apps"] = ResourceKind.StatefulSets,
        ["daemonsets"] = ResourceKind.DaemonSets,
        ["daemonset"] = ResourceKind.DaemonSets,
        ["ds"] = ResourceKind.DaemonSets,
        ["daemonsets.apps"] = ResourceKind.DaemonSets,
        ["gatewayclasses"] = ResourceKind.GatewayClasses,
        ["gatewayclass"] = ResourceKind.GatewayClasses,
        ["gc"] = ResourceKind.GatewayClasses,
        ["gatewayclasses.gateway.networking.k8s.io"] = ResourceKind.GatewayClasses,
        ["gateways"] = ResourceKind.Gateways,
        ["gateway"] = ResourceKind.Gateways,
        ["gtw"] = ResourceKind.Gateways,
        ["gateways.gateway.networking.k8s.io"] = ResourceKind.Gateways,
        ["httproutes"] = ResourceKind.HttpRoutes,
        ["httproute"] = ResourceKind.HttpRoutes,
        ["httproutes.gateway.networking.k8s.io"] = ResourceKind.HttpRoutes,
        ["grpcroutes"] = ResourceKind.GrpcRoutes,
        ["grpcroute"] = ResourceKind.GrpcRoutes,
        ["grpcroutes.gateway.networking.k8s.io"] = ResourceKind.GrpcRoutes,
        ["referencegrants"] = ResourceKind.ReferenceGrants,
        ["referencegrant"] = ResourceKind.ReferenceGrants,
        ["refgrant"] = ResourceKind.ReferenceGrants,
        ["referencegrants.gateway.networking.k8s.io"] = ResourceKind.ReferenceGrants,
        ["clusternetworkpolicies"] = ResourceKind.ClusterNetworkPolicies,
        ["clusternetworkpolicy"] = ResourceKind.ClusterNetworkPolicies,
        ["cnp"] = ResourceKind.ClusterNetworkPolicies,
        ["clusternetworkpolicies.policy.networking.k8s.io"] = ResourceKind.ClusterNetworkPolicies,
    };

    public static IReadOnlyList<string> Names => ["nodes (no)", "namespaces (ns)", "pods (po)", "services (svc)", "endpointslices", "networkpolicies (netpol)", "ingresses (ing)", "deployments (deploy)", "replicasets (rs)", "statefulsets (sts)", "daemonsets (ds)", "gatewayclasses (gc)", "gateways (gtw)", "httproutes", "grpcroutes", "referencegrants (refgrant)", "clusternetworkpolicies (cnp)"];

    public static bool TryParse(string text, out ResourceKind kind) => Aliases.TryGetValue(text, out kind);

    public static bool IsNamespaced(ResourceKind kind) => kind is not (ResourceKind.Nodes or ResourceKind.Namespaces or ResourceKind.GatewayClasses or ResourceKind.ClusterNetworkPolicies);

    /// <summary>kubectl's resource name, as in <c>services "web" not found</c>.</summary>
    public static string Plural(ResourceKind kind) => kind switch
    {
        ResourceKind.EndpointSlices => "endpointslices.discovery.k8s.io",
        ResourceKind.NetworkPolicies => "networkpolicies.networking.k8s.io",
        ResourceKind.Ingresses => "ingresses.networking.k8s.io",
        ResourceKind.GatewayClasses or ResourceKind.Gateways or ResourceKind.HttpRoutes or ResourceKind.GrpcRoutes or ResourceKind.ReferenceGrants =>
            kind.ToString().ToLowerInvariant() + ".gateway.networking.k8s.io",
        ResourceKind.ClusterNetworkPolicies => "clusternetworkpolicies.policy.networking.k8s.io",
        ResourceKind.Deployments or ResourceKind.ReplicaSets or ResourceKind.StatefulSets or ResourceKind.DaemonSets => kind.ToString().ToLowerInvariant() + ".apps",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
