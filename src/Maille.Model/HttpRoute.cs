namespace Maille.Model;

/// <summary>An HTTPRoute (gateway.networking.k8s.io/v1).</summary>
public sealed record HttpRoute
{
    public required ObjectMeta Meta { get; init; }

    public EquatableArray<GatewayParentRef> ParentRefs { get; init; } = EquatableArray<GatewayParentRef>.Empty;

    public EquatableArray<string> Hostnames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The rules; when the input has none, the CRD's default: one rule matching PathPrefix <c>/</c>.</summary>
    public EquatableArray<HttpRouteRule> Rules { get; init; } = EquatableArray<HttpRouteRule>.Empty;

    public string Namespace => Meta.Namespace!;
}
