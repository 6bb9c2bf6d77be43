namespace Maille.Engine.Gateways;

/// <summary>
/// What Maille's Gateway controller computes for a cluster: the status of every GatewayClass, Gateway and route it
/// owns, and one route table per Gateway it programs.
/// </summary>
public sealed record GatewayPlan(
    IReadOnlyList<GatewayClassStatus> Classes,
    IReadOnlyList<GatewayStatus> Gateways,
    IReadOnlyList<RouteStatus> Routes,
    IReadOnlyDictionary<string, GatewayRouteTable> Tables)
{
    /// <summary>
    /// GAMMA: the route table of each Service that HTTPRoutes or GRPCRoutes attach to (<c>namespace/name</c>), with one
    /// listener per attached port; the waypoint of the Service asks it. A Service without routes has none.
    /// </summary>
    public IReadOnlyDictionary<string, GatewayRouteTable> ServiceTables { get; init; } = new Dictionary<string, GatewayRouteTable>();

    public static GatewayPlan Empty { get; } = new([], [], [], new Dictionary<string, GatewayRouteTable>());

    public GatewayStatus? GatewayStatusOf(string qualifiedName) => Gateways.FirstOrDefault(g => g.QualifiedName == qualifiedName);

    public RouteStatus? RouteStatusOf(string kind, string qualifiedName) => Routes.FirstOrDefault(r => r.Kind == kind && r.QualifiedName == qualifiedName);
}
