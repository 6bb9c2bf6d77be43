namespace Maille.Model;

/// <summary>
/// Which routes may attach to a listener: namespaces <see cref="From"/> All, Same (the default) or Selector (with
/// <see cref="Selector"/>), and the route kinds (empty means the kinds the listener's protocol supports).
/// </summary>
public sealed record GatewayAllowedRoutes
{
    public static GatewayAllowedRoutes Default { get; } = new();

    public string From { get; init; } = "Same";

    public LabelSelector? Selector { get; init; }

    public EquatableArray<GatewayRouteKind> Kinds { get; init; } = EquatableArray<GatewayRouteKind>.Empty;
}
