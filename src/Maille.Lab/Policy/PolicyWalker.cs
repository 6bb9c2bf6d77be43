namespace Maille.Lab.Policy;

/// <summary>Walks a <see cref="PolicyCrossing"/> through that node's enforcer (<see cref="NodePolicyEnforcer.Trace"/>) and reads the walk with its plan.</summary>
internal static class PolicyWalker
{
    /// <summary>The walk, or null before the enforcer's first sync.</summary>
    public static PolicyWalk? Walk(NodePolicyEnforcer enforcer, PolicyCrossing crossing, string protocol, int port)
    {
        PolicyWalk? walk = null;

        // A sync between reading the plan and walking the table would pair one plan with another table; ask again then.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var plan = enforcer.Plan;
            var table = enforcer.Ruleset;
            var trace = enforcer.Trace(crossing.Source, crossing.Destination, protocol, port);
            if (plan is null || table is null || trace is null)
            {
                return null;
            }

            var baseChains = table.Chains.Where(c => c.Hook is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            walk = PolicyWalkReader.Read(plan, baseChains, trace, crossing.Source, crossing.Destination, protocol, port);
            if (ReferenceEquals(plan, enforcer.Plan) && ReferenceEquals(table, enforcer.Ruleset))
            {
                break;
            }
        }

        return walk;
    }
}
