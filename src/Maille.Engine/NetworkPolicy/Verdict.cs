using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The decision for one connection attempt (source, destination, port, protocol) and why: a connection is allowed only
/// when the source's egress and the destination's ingress both allow it, unless a built-in exception applies.
/// Replies of an allowed connection are always allowed, so they are never asked about.
/// </summary>
public sealed record Verdict(VerdictReason Reason, DirectionVerdict Egress, DirectionVerdict Ingress)
{
    public static Verdict Loopback { get; } = new(VerdictReason.Loopback, DirectionVerdict.NotApplicable(PolicyDirection.Egress), DirectionVerdict.NotApplicable(PolicyDirection.Ingress));

    public static Verdict OwnNode { get; } = new(VerdictReason.OwnNode, DirectionVerdict.NotApplicable(PolicyDirection.Egress), DirectionVerdict.NotApplicable(PolicyDirection.Ingress));

    public bool Allowed => Reason != VerdictReason.Policy || (Egress.Allowed && Ingress.Allowed);

    /// <summary>
    /// One line, e.g. <c>denied: egress: not isolated; ingress: isolated by x/deny-all; no rule allows it</c>.
    /// </summary>
    public override string ToString() => Reason switch
    {
        VerdictReason.Loopback => "allowed: a pod reaching its own IP is always allowed",
        VerdictReason.OwnNode => "allowed: traffic between a pod and its own node is always allowed",
        _ => $"{(Allowed ? "allowed" : "denied")}: {Egress}; {Ingress}",
    };
}
