namespace Maille.Engine.Ingresses;

/// <summary>
/// Who Maille's Ingress controller is, in the words Kubernetes objects use: the <c>spec.controller</c> value its
/// IngressClasses carry, the legacy class name it answers to, where its pods and its LoadBalancer Service live, and the
/// annotations it reads. The lab creates the controller under these names; <c>maille trace</c> looks for them.
/// </summary>
public static class MailleIngressController
{
    /// <summary>The <c>spec.controller</c> of an IngressClass served by Maille.</summary>
    public const string ControllerName = "maille.dev/ingress-controller";

    /// <summary>
    /// The value of the legacy <c>kubernetes.io/ingress.class</c> annotation that Maille takes as its own even when no
    /// IngressClass of that name exists (as ingress-nginx answers to <c>nginx</c>).
    /// </summary>
    public const string LegacyClassName = "maille";

    /// <summary>The namespace of the controller's pods and Service.</summary>
    public const string Namespace = "maille-system";

    /// <summary>The controller's LoadBalancer Service (ports 80 <c>http</c> and 443 <c>https</c>).</summary>
    public const string ServiceName = "maille-ingress";

    /// <summary>The label (with <see cref="AppLabelValue"/>) on every controller pod; NetworkPolicies can select it.</summary>
    public const string AppLabel = "app.kubernetes.io/name";

    public const string AppLabelValue = "maille-ingress";

    public const int HttpPort = 80;

    public const int HttpsPort = 443;

    /// <summary>
    /// The protocol spoken to the backends of every path of an Ingress: <c>HTTP</c> (HTTP/1.1, the default),
    /// <c>H2C</c> (HTTP/2 without TLS, prior knowledge) or <c>GRPC</c> (the same as H2C).
    /// </summary>
    public const string BackendProtocolAnnotation = "maille.dev/backend-protocol";

    /// <summary>The Service port <c>appProtocol</c> (KEP-3726) that also selects HTTP/2 without TLS.</summary>
    public const string H2cAppProtocol = "kubernetes.io/h2c";
}
