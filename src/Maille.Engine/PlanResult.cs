using Maille.Model;

namespace Maille.Engine;

/// <summary>The outcome of planning: a cluster, or (when any error was found) none, with every diagnostic.</summary>
public sealed record PlanResult(ClusterState? Cluster, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Cluster is not null;

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
