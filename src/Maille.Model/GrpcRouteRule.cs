namespace Maille.Model;

/// <summary>One rule of a GRPCRoute; no matches means every request. Filters are the HTTP ones GRPCRoute allows.</summary>
public sealed record GrpcRouteRule
{
    public string? Name { get; init; }

    public EquatableArray<GrpcRouteMatch> Matches { get; init; } = EquatableArray<GrpcRouteMatch>.Empty;

    public EquatableArray<HttpRouteFilter> Filters { get; init; } = EquatableArray<HttpRouteFilter>.Empty;

    public EquatableArray<GatewayBackendRef> BackendRefs { get; init; } = EquatableArray<GatewayBackendRef>.Empty;
}
