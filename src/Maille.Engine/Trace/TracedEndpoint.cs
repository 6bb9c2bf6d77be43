using Maille.Model;

namespace Maille.Engine.Trace;

/// <summary>One candidate endpoint of a traced connection, with its own verdict and the rules that decided it.</summary>
public sealed record TracedEndpoint(string? Pod, string Ip, int Port, Protocol Protocol, string Verdict, IReadOnlyList<string> DecidedBy)
{
    /// <summary>NetworkPolicy let it through and the destination's node proxy refused it.</summary>
    public bool DeniedByMesh { get; init; }
}
