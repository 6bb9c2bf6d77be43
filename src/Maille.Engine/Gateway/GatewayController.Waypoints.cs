using Maille.Engine.Mesh;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// The statuses Istio's waypoint controller writes, which Maille computes in its place: the waypoint GatewayClass (when
/// the input declares it) and each waypoint Gateway. A waypoint gets no LoadBalancer Service and no Maille proxy
/// Deployment (<see cref="GatewayServices"/> serves Maille's class only): it is programmed as a waypoint, its one
/// listener the HBONE one on 15008; routes attach to Services, not to it.
/// </summary>
public static partial class GatewayController
{
    private static IEnumerable<GatewayClassStatus> WaypointClassStatuses(ClusterState cluster) =>
        cluster.GatewayClasses
            .Where(c => c.Name == MeshApi.WaypointClassName && c.ControllerName == MeshApi.WaypointControllerName)
            .Select(c => new GatewayClassStatus(c.Name, [GatewayCondition.True("Accepted", "Accepted", "Handled by the waypoint controller Maille models (Istio ambient's)")]));

    private static GatewayStatus WaypointStatusOf(Waypoint waypoint)
    {
        var conditions = waypoint.Problem is { } problem
            ? new[]
            {
                GatewayCondition.False("Accepted", "ListenersNotValid", problem),
                GatewayCondition.False("Programmed", "Invalid", "the Gateway is not accepted"),
            }
            : [
                GatewayCondition.True("Accepted", "Accepted", "Accepted as a waypoint"),
                GatewayCondition.True("Programmed", "Programmed",
                    $"Programmed as a waypoint for {waypoint.For} traffic ({MeshApi.WaypointForLabel}), with the identity {waypoint.Identity}"),
            ];
        var listeners = waypoint.Gateway.Listeners.Select(l =>
        {
            var mesh = l.Port == MeshApi.HbonePort && l.Protocol == MeshApi.HboneProtocol;
            return new GatewayListenerStatus(l.Name, [], 0, mesh
                ? [
                    GatewayCondition.True("Accepted", "Accepted", "Accepted"),
                    GatewayCondition.False("Conflicted", "NoConflicts", "No conflicts"),
                    GatewayCondition.True("ResolvedRefs", "ResolvedRefs", "All references resolved"),
                    GatewayCondition.True("Programmed", "Programmed", "Programmed"),
                ]
                : [
                    GatewayCondition.False("Accepted", "UnsupportedProtocol", $"a waypoint serves only its {MeshApi.HboneProtocol} listener on port {MeshApi.HbonePort}"),
                    GatewayCondition.False("Programmed", "Invalid", "the listener is not valid"),
                ]);
        }).ToList();
        return new GatewayStatus(waypoint.QualifiedName, conditions, [], listeners);
    }
}
