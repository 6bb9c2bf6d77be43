namespace Maille.Dataplane.Nftables;

/// <summary>
/// Writes the commands that turn one table (as last applied) into another, as two transactions
/// (<see cref="NftRulesetSteps"/>): what is new is declared, whole, in the first, before anything refers to it; in the
/// second, chains whose rules changed are flushed and refilled, elements change (verdict maps stop pointing at chains
/// about to go), and what is gone is removed last, chains before the sets and counters they used. A changed set declaration or base-chain
/// hook cannot be changed in place, so <see cref="CanWrite"/> says to rewrite the whole table instead.
/// </summary>
internal static class NftRulesetDiff
{
    /// <summary>Whether <see cref="Write"/> can express the change (no set or map changed its type, no hook changed).</summary>
    public static bool CanWrite(NftRuleset from, NftRuleset to) =>
        to.Sets.All(s => from.Set(s.Name) is not { } old || (old.Declaration == s.Declaration && old.Dynamic == s.Dynamic))
        && to.Chains.All(c => from.Chain(c.Name) is not { } old || old.Hook == c.Hook);

    public static void Write(NftRulesetSteps steps, NftRuleset from, NftRuleset to)
    {
        var (create, change) = (steps.Create, steps.Change);
        var oldCounters = from.Counters.ToHashSet(StringComparer.Ordinal);
        var newCounters = to.Counters.ToHashSet(StringComparer.Ordinal);
        foreach (var counter in to.Counters.Where(c => !oldCounters.Contains(c)))
        {
            create.AddCounter(counter);
        }

        var addedSets = to.Sets.Where(s => from.Set(s.Name) is null).ToList();
        foreach (var set in addedSets)
        {
            create.AddSet(set);
        }

        var addedChains = to.Chains.Where(c => from.Chain(c.Name) is null).ToList();
        foreach (var chain in addedChains)
        {
            create.AddChain(chain);
        }

        foreach (var set in addedSets.Where(s => !s.Dynamic))
        {
            create.AddElements(set.Name, set.Elements);
        }

        foreach (var chain in addedChains)
        {
            create.AddRules(chain);
        }

        foreach (var chain in to.Chains.Where(c => from.Chain(c.Name) is { } old && old.Rules != c.Rules))
        {
            change.FlushChain(chain.Name);
            change.AddRules(chain);
        }

        foreach (var set in to.Sets.Where(s => !s.Dynamic))
        {
            // Equal sets (often the same object, a folded map reused) need no command and no comparison by key.
            if (from.Set(set.Name) is { } old && !old.Elements.Equals(set.Elements))
            {
                WriteElements(change, old, set);
            }
        }

        var removedChains = from.Chains.Where(c => to.Chain(c.Name) is null).ToList();
        foreach (var chain in removedChains)
        {
            change.FlushChain(chain.Name);
        }

        foreach (var chain in removedChains)
        {
            change.DeleteChain(chain.Name);
        }

        foreach (var set in from.Sets.Where(s => to.Set(s.Name) is null))
        {
            change.DeleteSet(set);
        }

        foreach (var counter in from.Counters.Where(c => !newCounters.Contains(c)))
        {
            change.DeleteCounter(counter);
        }
    }

    /// <summary>Deletes elements whose key is gone or whose data or verdict changed, then adds the new ones.</summary>
    private static void WriteElements(NftScript script, NftSet from, NftSet to)
    {
        var wanted = to.Elements.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var present = from.Elements.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var stale = from.Elements.Where(e => !wanted.TryGetValue(e.Key, out var now) || now != e).ToList();
        var missing = to.Elements.Where(e => !present.TryGetValue(e.Key, out var before) || before != e).ToList();
        if (stale.Count > 0)
        {
            script.DeleteElements(to.Name, stale);
        }

        if (missing.Count > 0)
        {
            script.AddElements(to.Name, missing);
        }
    }
}
