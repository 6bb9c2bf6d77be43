namespace Maille.Engine.Gateways;

/// <summary>The status Maille's controller writes on a GatewayClass that names it.</summary>
public sealed record GatewayClassStatus(string Name, IReadOnlyList<GatewayCondition> Conditions);
