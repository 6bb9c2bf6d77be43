namespace Maille.Dataplane.Nftables;

/// <summary>
/// The policy table as the kernel last accepted it, so that a sync writes only the difference
/// (<see cref="NftRulesetDiff"/>): with chains named by content and sets by definition, a relabelled pod or a new pod
/// is a few element commands, and a changed policy adds and deletes whole chains, in up to two transactions
/// (<see cref="NftRulesetSteps"/>). The first sync, one after <see cref="Reset"/> (a failed transaction) and a forced
/// one rewrite the whole table in one. Not thread-safe.
/// </summary>
public sealed class PolicyRulesetState
{
    /// <summary>The table as last committed; null before the first commit and after <see cref="Reset"/>.</summary>
    public NftRuleset? Applied { get; private set; }

    public bool IsEmpty => Applied is null;

    public void Reset() => Applied = null;

    /// <summary>
    /// The transactions from the committed table to <paramref name="desired"/>; none when nothing changed. A whole table
    /// written again starts its named counters from <paramref name="counters"/> (the kernel's values, read just before).
    /// </summary>
    public PolicyRulesetChange Prepare(NftRuleset desired, bool full = false, IReadOnlyDictionary<string, NftCounterValue>? counters = null)
    {
        if (full || Applied is null || !NftRulesetDiff.CanWrite(Applied, desired))
        {
            var script = new NftScript(PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table);
            script.WriteTable(desired, counters ?? new Dictionary<string, NftCounterValue>());
            return new PolicyRulesetChange(desired, true, [script.ToString()], script.CommandCount);
        }

        var steps = new NftRulesetSteps(PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table);
        if (Applied != desired)
        {
            NftRulesetDiff.Write(steps, Applied, desired);
        }

        return new PolicyRulesetChange(desired, false, steps.Scripts, steps.CommandCount);
    }

    /// <summary>Records a change whose every step the kernel accepted.</summary>
    public void Commit(PolicyRulesetChange change) => Applied = change.Desired;
}
