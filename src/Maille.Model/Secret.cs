namespace Maille.Model;

/// <summary>A Secret. Only TLS Secrets (<c>kubernetes.io/tls</c>) are used, by the Ingress controller.</summary>
public sealed record Secret
{
    public const string TlsType = "kubernetes.io/tls";

    public required ObjectMeta Meta { get; init; }

    public string Type { get; init; } = "Opaque";

    /// <summary>The data keys (values are not kept in the model for printing; the Ingress controller reads them).</summary>
    public System.Collections.Immutable.ImmutableDictionary<string, byte[]> Data { get; init; } =
        System.Collections.Immutable.ImmutableDictionary<string, byte[]>.Empty;
}
