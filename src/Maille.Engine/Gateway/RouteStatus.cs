namespace Maille.Engine.Gateways;

/// <summary>An HTTPRoute's or GRPCRoute's status: one entry per parentRef of a Gateway Maille serves.</summary>
public sealed record RouteStatus(string Kind, string QualifiedName, IReadOnlyList<RouteParentStatus> Parents);
