using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>
/// One probed connection: what was observed with real packets, what the engine expected (NetworkPolicy allows it, the
/// mesh admits it when the destination is meshed, and the destination serves the port), and how the attempt ended
/// (<c>connected</c>, <c>answered …</c>, <c>refused</c>, <c>reset</c>, <c>closed</c>, <c>timeout</c>, …).
/// </summary>
internal sealed record ProbeCell(string From, string To, PortProtocol Port, bool Observed, bool Expected, string Outcome)
{
    public bool IsMismatch => Observed != Expected;

    /// <summary>Why the engine expects a denial (NetworkPolicy's verdict, the mesh's, an unserved port), or null when it expects the connection.</summary>
    public string? Reason { get; init; }
}
