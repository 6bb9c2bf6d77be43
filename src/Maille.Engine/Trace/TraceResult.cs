namespace Maille.Engine.Trace;

/// <summary>
/// The answer of <c>maille trace</c>: <c>allowed</c> when every candidate endpoint is allowed, <c>denied</c> when none
/// is, <c>mixed</c> otherwise, and <c>unreachable</c> (with <see cref="Reason"/>) when there is nothing to reach.
/// </summary>
public sealed record TraceResult(string Verdict, string Reason, IReadOnlyList<TraceHop> Hops, IReadOnlyList<TracedEndpoint> Endpoints)
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string Mixed = "mixed";
    public const string Unreachable = "unreachable";

    public static TraceResult NotReachable(string reason, IReadOnlyList<TraceHop> hops) => new(Unreachable, reason, hops, []);

    /// <summary>True when the destination was an HTTP(S) URL answered by the Ingress controller.</summary>
    public bool ThroughIngress { get; init; }

    /// <summary>The Ingress path that matched, when <see cref="ThroughIngress"/>; null when nothing matched (404).</summary>
    public TracedIngress? Ingress { get; init; }
}
