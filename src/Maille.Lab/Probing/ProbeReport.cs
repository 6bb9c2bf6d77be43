using System.Collections.Immutable;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>Every probed connection of a lab, in matrix order (sources, then destinations, per port).</summary>
internal sealed record ProbeReport(ImmutableArray<string> Pods, ImmutableArray<PortProtocol> Ports, ImmutableArray<ProbeCell> Cells, TimeSpan Elapsed)
{
    public IEnumerable<ProbeCell> Mismatches => Cells.Where(c => c.IsMismatch);
}
