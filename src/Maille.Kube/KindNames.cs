namespace Maille.Kube;

/// <summary>The kinds Maille reads, named as the API server and kubectl name them.</summary>
public static class KindNames
{
    public static IReadOnlyList<KindName> All { get; } =
    [
        new("", "v1", "Namespace", "namespaces", false, "ns"),
        new("", "v1", "Node", "nodes", false, "no"),
        new("", "v1", "Pod", "pods", true, "po"),
        new("", "v1", "Service", "services", true, "svc"),
        new("", "v1", "Secret", "secrets", true),
        new("apps", "v1", "Deployment", "deployments", true, "deploy"),
        new("apps", "v1", "ReplicaSet", "replicasets", true, "rs"),
        new("apps", "v1", "StatefulSet", "statefulsets", true, "sts"),
        new("apps", "v1", "DaemonSet", "daemonsets", true, "ds"),
        new("apps", "v1", "ControllerRevision", "controllerrevisions", true),
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, "netpol"),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, "ing"),
        new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false),
        new("metallb.io", "v1beta1", "IPAddressPool", "ipaddresspools", true),
        new("metallb.io", "v1beta1", "L2Advertisement", "l2advertisements", true),
        new("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", false, "gc"),
        new("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true, "gtw"),
        new("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes", true),
        new("gateway.networking.k8s.io", "v1", "GRPCRoute", "grpcroutes", true),
        new("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants", true, "refgrant"),
        new("policy.networking.k8s.io", "v1alpha2", "ClusterNetworkPolicy", "clusternetworkpolicies", false, "cnp"),
        new("policy.networking.k8s.io", "v1alpha1", "AdminNetworkPolicy", "adminnetworkpolicies", false, "anp"),
        new("policy.networking.k8s.io", "v1alpha1", "BaselineAdminNetworkPolicy", "baselineadminnetworkpolicies", false, "banp"),
    ];

    /// <summary>The kind kubectl would understand by <paramref name="name"/> (<c>po</c>, <c>pods</c>, <c>deployment.apps</c>).</summary>
    public static KindName? Find(string name) => All.FirstOrDefault(k => k.Matches(name));

    public static KindName? ByPlural(string group, string plural) => All.FirstOrDefault(k => k.Group == group && k.Plural == plural);
}
