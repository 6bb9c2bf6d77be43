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

    /// <summary>
    /// Whether objects of <paramref name="ns"/> (whose labels are <paramref name="namespaceLabels"/>, null when the
    /// namespace is not declared) may attach to a listener of a Gateway in <paramref name="gatewayNamespace"/>.
    /// </summary>
    public bool Admits(string gatewayNamespace, string ns, Labels? namespaceLabels) => From switch
    {
        "All" => true,
        "Same" => ns == gatewayNamespace,
        "Selector" => Selector is { } selector && namespaceLabels is not null && selector.Matches(namespaceLabels),
        _ => false,
    };
}
