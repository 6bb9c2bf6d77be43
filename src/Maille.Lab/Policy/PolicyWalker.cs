using Maille.Lab.NodeAgents;

namespace Maille.Lab.Policy;

/// <summary>Walks a <see cref="PolicyCrossing"/> through the table of a node's policy snapshot (<see cref="NodePolicyEnforcer.Trace"/>) and reads the walk with that snapshot's plan.</summary>
internal static class PolicyWalker
{
    /// <summary>
    /// The walk. The plan and the table come from one <see cref="PolicySnapshot"/>, published as one reference, so they
    /// always belong together: no sync can slip between reading one and the other.
    /// </summary>
    public static PolicyWalk Walk(PolicySnapshot applied, PolicyCrossing crossing, string protocol, int port)
    {
        var trace = NodePolicyEnforcer.Trace(applied, crossing.Source, crossing.Destination, protocol, port);
        var baseChains = applied.Ruleset.Chains.Where(c => c.Hook is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return PolicyWalkReader.Read(applied.Plan, baseChains, trace, crossing.Source, crossing.Destination, protocol, port);
    }
}
