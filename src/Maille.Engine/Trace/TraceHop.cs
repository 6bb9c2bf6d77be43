namespace Maille.Engine.Trace;

/// <summary>
/// One step of a packet's path: the stage (<c>dns</c>, <c>service</c>, <c>node</c>, <c>mesh-source</c>, <c>hbone</c>,
/// <c>egress-policy</c>, <c>ingress-policy</c>, <c>mesh-destination</c>, <c>delivery</c>), the node where it happens, what happened, the detail, and the rule that
/// decided it. The same shape will be filled from the live lab, so prediction and observation can be diffed.
/// A policy hop also carries <see cref="Decision"/>: the tier, priority, policy and rule that decided that direction.
/// </summary>
public sealed record TraceHop(string Stage, string? Node, string Result, string Detail, string? Rule = null, string? Endpoint = null)
{
    public NetworkPolicies.TierDecision? Decision { get; init; }

    /// <summary>On a <c>mesh-destination</c> hop: the node proxy's decision (printed as the hop's <c>decision</c>).</summary>
    public Mesh.MeshVerdict? Mesh { get; init; }
}
