namespace Maille.Model;

/// <summary>A GRPCRoute match: the method (Exact or RegularExpression on service and/or method) and headers.</summary>
public sealed record GrpcRouteMatch
{
    public string MethodType { get; init; } = "Exact";

    public string? Service { get; init; }

    public string? Method { get; init; }

    /// <summary>True when the match has a <c>method</c> block at all.</summary>
    public bool HasMethod { get; init; }

    public EquatableArray<HttpValueMatch> Headers { get; init; } = EquatableArray<HttpValueMatch>.Empty;
}
