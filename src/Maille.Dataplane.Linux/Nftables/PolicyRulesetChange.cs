namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// A sync of the policy table: the table it leads to, whether it rewrites everything, and its transactions in the
/// order they must be applied (one for a whole table, up to two for a difference: <see cref="NftRulesetSteps"/>).
/// </summary>
internal sealed record PolicyRulesetChange(NftRuleset Desired, bool Full, IReadOnlyList<string> Steps, int CommandCount)
{
    /// <summary>Every step's commands, in order.</summary>
    public string Script => string.Concat(Steps);

    /// <summary>Runs the steps in order in <paramref name="context"/>'s namespace (<see cref="NftContext.RunInOrder"/>).</summary>
    public (int Step, NftResult Result)? Apply(NftContext context) => context.RunInOrder(Steps);
}
