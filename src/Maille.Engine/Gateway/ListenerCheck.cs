using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>A listener as the controller judged it: accepted (routes may attach), programmed (it serves), its kinds and conditions.</summary>
internal sealed record ListenerCheck(GatewayListener Listener, bool Accepted, bool Programmed, IReadOnlyList<GatewayRouteKind> SupportedKinds, IReadOnlyList<GatewayCondition> Conditions);
