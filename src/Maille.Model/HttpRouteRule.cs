namespace Maille.Model;

/// <summary>One rule of an HTTPRoute. <see cref="Matches"/> always has at least one entry (the default PathPrefix <c>/</c>).</summary>
public sealed record HttpRouteRule
{
    public string? Name { get; init; }

    public EquatableArray<HttpRouteMatch> Matches { get; init; } = EquatableArray<HttpRouteMatch>.Empty;

    public EquatableArray<HttpRouteFilter> Filters { get; init; } = EquatableArray<HttpRouteFilter>.Empty;

    public EquatableArray<GatewayBackendRef> BackendRefs { get; init; } = EquatableArray<GatewayBackendRef>.Empty;

    /// <summary><c>timeouts.request</c> as written (Gateway API duration, e.g. <c>10s</c>, <c>1m30s</c>); null when unset.</summary>
    public string? RequestTimeout { get; init; }

    /// <summary><c>timeouts.backendRequest</c> as written; null when unset.</summary>
    public string? BackendRequestTimeout { get; init; }

    /// <summary><c>retry</c> (experimental channel); null when unset: no retry.</summary>
    public HttpRouteRetry? Retry { get; init; }
}
