using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>
/// One probed connection: what was observed with real packets, what the engine expected (NetworkPolicy allows it and
/// the destination serves the port), and how the attempt ended (<c>connected</c>, <c>answered</c>, <c>refused</c>,
/// <c>timeout</c>, …).
/// </summary>
internal sealed record ProbeCell(string From, string To, PortProtocol Port, bool Observed, bool Expected, string Outcome)
{
    public bool IsMismatch => Observed != Expected;
}
