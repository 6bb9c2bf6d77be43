namespace Maille.Dataplane.Nftables;

/// <summary>
/// A sync of the policy table: the table it leads to, whether it rewrites everything, and its transactions in the
/// order they must be applied (one for a whole table, up to two for a difference: <see cref="NftRulesetSteps"/>).
/// Applying them is kernel I/O, done by the caller (Maille.Dataplane.Linux's <c>NftContext.RunInOrder</c>).
/// </summary>
public sealed record PolicyRulesetChange(NftRuleset Desired, bool Full, IReadOnlyList<string> Steps, int CommandCount)
{
    /// <summary>Every step's commands, in order.</summary>
    public string Script => string.Concat(Steps);
}
