namespace Maille.Model;

/// <summary>
/// A route's <c>backendRefs</c> entry (also a mirror's target): a core Service by default, in the route's namespace
/// unless <see cref="Namespace"/> says otherwise (which needs a ReferenceGrant). Weight defaults to 1; 0 gets no traffic.
/// </summary>
public sealed record GatewayBackendRef
{
    public string Group { get; init; } = "";

    public string Kind { get; init; } = "Service";

    public required string Name { get; init; }

    public string? Namespace { get; init; }

    public int? Port { get; init; }

    public int Weight { get; init; } = 1;

    /// <summary>Filters applied only when this backend is chosen.</summary>
    public EquatableArray<HttpRouteFilter> Filters { get; init; } = EquatableArray<HttpRouteFilter>.Empty;
}
