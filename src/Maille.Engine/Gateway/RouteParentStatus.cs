using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>A route's status for one parentRef: Accepted and ResolvedRefs, written by <see cref="GatewayApi.ControllerName"/>.</summary>
public sealed record RouteParentStatus(GatewayParentRef ParentRef, string ParentNamespace, IReadOnlyList<GatewayCondition> Conditions)
{
    public string ControllerName => GatewayApi.ControllerName;
}
