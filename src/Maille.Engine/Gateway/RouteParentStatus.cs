using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// A route's status for one parentRef: Accepted and ResolvedRefs, written by <see cref="GatewayApi.ControllerName"/> for a
/// Gateway, and by the waypoint's controller (<see cref="MeshApi.WaypointControllerName"/>) for a Service (GAMMA).
/// </summary>
public sealed record RouteParentStatus(
    GatewayParentRef ParentRef,
    string ParentNamespace,
    IReadOnlyList<GatewayCondition> Conditions,
    string ControllerName = GatewayApi.ControllerName);
