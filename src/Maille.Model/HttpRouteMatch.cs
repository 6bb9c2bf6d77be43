namespace Maille.Model;

/// <summary>One match of an HTTPRoute rule: every condition must hold. <see cref="Path"/> defaults to PathPrefix <c>/</c>.</summary>
public sealed record HttpRouteMatch
{
    public HttpPathMatch Path { get; init; } = HttpPathMatch.Default;

    public EquatableArray<HttpValueMatch> Headers { get; init; } = EquatableArray<HttpValueMatch>.Empty;

    public EquatableArray<HttpValueMatch> QueryParams { get; init; } = EquatableArray<HttpValueMatch>.Empty;

    public string? Method { get; init; }
}
