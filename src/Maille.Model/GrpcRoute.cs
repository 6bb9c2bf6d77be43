namespace Maille.Model;

/// <summary>A GRPCRoute (gateway.networking.k8s.io/v1).</summary>
public sealed record GrpcRoute
{
    public required ObjectMeta Meta { get; init; }

    public EquatableArray<GatewayParentRef> ParentRefs { get; init; } = EquatableArray<GatewayParentRef>.Empty;

    public EquatableArray<string> Hostnames { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<GrpcRouteRule> Rules { get; init; } = EquatableArray<GrpcRouteRule>.Empty;

    public string Namespace => Meta.Namespace!;
}
