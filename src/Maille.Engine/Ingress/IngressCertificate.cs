using Maille.Model;

namespace Maille.Engine.Ingresses;

/// <summary>
/// The certificate a TLS server name gets: from the <c>spec.tls</c> entry of <see cref="Ingress"/> that lists
/// <see cref="Host"/>, served from <see cref="Secret"/> when it is usable. When it is not (<see cref="Problem"/>: no
/// <c>secretName</c>, no such Secret, not <c>kubernetes.io/tls</c>, unreadable PEM) the controller presents its
/// default certificate instead.
/// </summary>
public sealed record IngressCertificate(string Host, Ingress Ingress, string? SecretName, Secret? Secret, string? Problem)
{
    public bool IsUsable => Secret is not null && Problem is null;

    /// <summary><c>namespace/name</c> of the Secret, when one is named.</summary>
    public string? SecretQualifiedName => SecretName is null ? null : $"{Ingress.Namespace}/{SecretName}";
}
