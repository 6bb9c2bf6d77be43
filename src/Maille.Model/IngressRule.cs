namespace Maille.Model;

/// <summary>An Ingress rule: an optional host (exact or <c>*.</c> wildcard) and its HTTP paths.</summary>
public sealed record IngressRule
{
    public string? Host { get; init; }

    public EquatableArray<IngressPath> Paths { get; init; } = EquatableArray<IngressPath>.Empty;
}
