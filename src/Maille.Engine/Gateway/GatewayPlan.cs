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
    public static GatewayPlan Empty { get; } = new([], [], [], new Dictionary<string, GatewayRouteTable>());

    public GatewayStatus? GatewayStatusOf(string qualifiedName) => Gateways.FirstOrDefault(g => g.QualifiedName == qualifiedName);

    public RouteStatus? RouteStatusOf(string kind, string qualifiedName) => Routes.FirstOrDefault(r => r.Kind == kind && r.QualifiedName == qualifiedName);
}
