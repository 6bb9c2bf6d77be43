using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>A listener's status: the route kinds it supports, how many routes attached, and its conditions.</summary>
public sealed record GatewayListenerStatus(
    string Name,
    IReadOnlyList<GatewayRouteKind> SupportedKinds,
    int AttachedRoutes,
    IReadOnlyList<GatewayCondition> Conditions);
