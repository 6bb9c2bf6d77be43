namespace Maille.Model;

/// <summary>An Ingress backend: a Service, or a typed resource reference (which Maille refuses, documented).</summary>
public sealed record IngressBackend
{
    public IngressServiceBackend? Service { get; init; }

    /// <summary><c>Kind/name</c> of a resource backend.</summary>
    public string? Resource { get; init; }

    public override string ToString() => Service is { } s ? $"{s.Name}:{s.Port}" : $"resource {Resource}";
}
