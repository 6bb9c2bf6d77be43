namespace Maille.Model;

/// <summary>
/// Names of the service mesh Maille models (Istio's ambient mode): the <c>security.istio.io</c> kinds, the labels that
/// put a namespace or pod in the mesh, the root namespace, the workload identity and the HBONE port.
/// </summary>
public static class MeshApi
{
    public const string Group = "security.istio.io";

    public const string Version = Group + "/v1";

    public const string AuthorizationPolicyKind = "AuthorizationPolicy";

    public const string PeerAuthenticationKind = "PeerAuthentication";

    /// <summary>Istio's root namespace: policies here apply to the whole mesh.</summary>
    public const string RootNamespace = "istio-system";

    /// <summary>Istio's own opt-in label: <c>ambient</c> on a namespace, <c>none</c> on a pod to opt out.</summary>
    public const string DataplaneModeLabel = "istio.io/dataplane-mode";

    public const string Ambient = "ambient";

    public const string OptOut = "none";

    /// <summary>Maille's own opt-in label (value <c>enabled</c>), the same as Istio's.</summary>
    public const string MailleMeshLabel = "maille.dev/mesh";

    public const string Enabled = "enabled";

    /// <summary>The trust domain of every workload identity.</summary>
    public const string TrustDomain = "cluster.local";

    /// <summary>HBONE: HTTP/2 CONNECT over mTLS, which the destination node's proxy accepts on this port of the pod.</summary>
    public const int HbonePort = 15008;

    /// <summary>The GatewayClass of waypoints, which istiod installs itself: a cluster need not declare it.</summary>
    public const string WaypointClassName = "istio-waypoint";

    /// <summary>The <c>controllerName</c> of <see cref="WaypointClassName"/>; Maille writes the statuses of that controller's objects.</summary>
    public const string WaypointControllerName = "istio.io/mesh-controller";

    /// <summary>The waypoint's listener protocol: HBONE, on <see cref="HbonePort"/>.</summary>
    public const string HboneProtocol = "HBONE";

    /// <summary>On a namespace or a Service: the waypoint (a Gateway's name) its traffic goes through; <c>none</c> opts a Service out.</summary>
    public const string UseWaypointLabel = "istio.io/use-waypoint";

    /// <summary>Beside <see cref="UseWaypointLabel"/>: the namespace of that waypoint, when it is not the object's own.</summary>
    public const string UseWaypointNamespaceLabel = "istio.io/use-waypoint-namespace";

    /// <summary>On a waypoint Gateway: the traffic it takes, <c>service</c> (the default), <c>workload</c>, <c>all</c> or <c>none</c>.</summary>
    public const string WaypointForLabel = "istio.io/waypoint-for";

    /// <summary>On a waypoint Gateway: its service account, instead of the Gateway's name (Istio's annotation).</summary>
    public const string WaypointServiceAccountAnnotation = "gateway.istio.io/service-account";

    /// <summary>The principal of a pod's service account as AuthorizationPolicy writes it: <c>cluster.local/ns/NS/sa/SA</c>.</summary>
    public static string Principal(string ns, string serviceAccount) => $"{TrustDomain}/ns/{ns}/sa/{serviceAccount}";

    /// <summary>The SPIFFE identity of a service account: <c>spiffe://cluster.local/ns/NS/sa/SA</c>.</summary>
    public static string SpiffeId(string ns, string serviceAccount) => "spiffe://" + Principal(ns, serviceAccount);
}
