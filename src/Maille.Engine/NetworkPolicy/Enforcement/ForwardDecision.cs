namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What one node's forward hook decides for the first packet of a connection: a pod reaching itself through a
/// Service (<see cref="Hairpin"/>, allowed), else the source's egress when the source is a pod of this node, then the
/// destination's ingress when the destination is one (null: not a pod of this node, so not decided here).
/// </summary>
public sealed record ForwardDecision(bool Hairpin, ChainDecision? Egress, ChainDecision? Ingress)
{
    public bool Allowed => Hairpin || ((Egress?.Allowed ?? true) && (Ingress?.Allowed ?? true));

    public override string ToString() => Hairpin
        ? "allowed: a pod reaching itself"
        : $"{(Allowed ? "allowed" : "denied")}: {Egress?.ToString() ?? "egress: not decided here"}; {Ingress?.ToString() ?? "ingress: not decided here"}";
}
