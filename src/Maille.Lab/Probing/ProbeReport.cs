using System.Collections.Immutable;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>Every probed connection of a lab, in matrix order (sources, then destinations, per port).</summary>
internal sealed record ProbeReport(ImmutableArray<string> Pods, ImmutableArray<PortProtocol> Ports, ImmutableArray<ProbeCell> Cells, TimeSpan Elapsed)
{
    /// <summary>The sample the pairs were drawn from, or null when every pair was probed.</summary>
    public ProbeSample? Sample { get; init; }

    public IEnumerable<ProbeCell> Mismatches => Cells.Where(c => c.IsMismatch);
}
