namespace Maille.Model;

/// <summary>An entry of <c>spec.tls</c>: hosts served with the certificate of <see cref="SecretName"/>.</summary>
public sealed record IngressTls(EquatableArray<string> Hosts, string? SecretName);
