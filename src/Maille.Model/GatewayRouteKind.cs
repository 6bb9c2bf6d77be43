namespace Maille.Model;

/// <summary>A route group and kind, as in a listener's <c>allowedRoutes.kinds</c> and <c>status.listeners[].supportedKinds</c>.</summary>
public sealed record GatewayRouteKind(string Group, string Kind)
{
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}
