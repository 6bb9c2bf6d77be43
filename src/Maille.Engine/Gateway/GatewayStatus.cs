namespace Maille.Engine.Gateways;

/// <summary>
/// The status of a Gateway of a Maille class: Accepted and Programmed, the addresses of its LoadBalancer Service, and
/// one entry per listener.
/// </summary>
public sealed record GatewayStatus(
    string QualifiedName,
    IReadOnlyList<GatewayCondition> Conditions,
    IReadOnlyList<string> Addresses,
    IReadOnlyList<GatewayListenerStatus> Listeners);
