namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// The policy table as the kernel last accepted it, so that a sync writes only the difference
/// (<see cref="NftRulesetDiff"/>): with chains named by content and sets by definition, a relabelled pod or a new pod
/// is a few element commands, and a changed policy adds and deletes whole chains. The first sync, one after
/// <see cref="Reset"/> (a failed transaction) and a forced one rewrite the whole table. Not thread-safe.
/// </summary>
internal sealed class PolicyRulesetState
{
    /// <summary>The table as last committed; null before the first commit and after <see cref="Reset"/>.</summary>
    public NftRuleset? Applied { get; private set; }

    public bool IsEmpty => Applied is null;

    public void Reset() => Applied = null;

    /// <summary>The transaction from the committed table to <paramref name="desired"/>; empty when nothing changed.</summary>
    public PolicyRulesetChange Prepare(NftRuleset desired, bool full = false)
    {
        var script = new NftScript(PolicyRulesetBuilder.Family, PolicyRulesetBuilder.Table);
        var whole = full || Applied is null || !NftRulesetDiff.CanWrite(Applied, desired);
        if (whole)
        {
            script.WriteTable(desired);
        }
        else if (Applied != desired)
        {
            NftRulesetDiff.Write(script, Applied!, desired);
        }

        return new PolicyRulesetChange(desired, whole, script.ToString(), script.CommandCount);
    }

    /// <summary>Records a transaction the kernel accepted.</summary>
    public void Commit(PolicyRulesetChange change) => Applied = change.Desired;
}
