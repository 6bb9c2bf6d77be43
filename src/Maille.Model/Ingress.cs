namespace Maille.Model;

/// <summary>An Ingress (networking.k8s.io/v1).</summary>
public sealed record Ingress
{
    public const string LegacyClassAnnotation = "kubernetes.io/ingress.class";

    public required ObjectMeta Meta { get; init; }

    public string? IngressClassName { get; init; }

    public IngressBackend? DefaultBackend { get; init; }

    public EquatableArray<IngressRule> Rules { get; init; } = EquatableArray<IngressRule>.Empty;

    public EquatableArray<IngressTls> Tls { get; init; } = EquatableArray<IngressTls>.Empty;

    /// <summary>
    /// Addresses (IP or hostname) in <c>status.loadBalancer.ingress</c>: as the input gave them, or, for an Ingress
    /// Maille's controller serves, the controller Service's LoadBalancer addresses as planning published them.
    /// </summary>
    public EquatableArray<string> LoadBalancerIngress { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>spec.ingressClassName</c>, else the legacy annotation.</summary>
    public string? ClassName => IngressClassName ?? Meta.Annotations.Get(LegacyClassAnnotation);

    public string Namespace => Meta.Namespace!;
}
