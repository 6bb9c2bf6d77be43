using Maille.Dataplane.Linux.Netlink;
using Maille.Dataplane.Nftables;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Loads a whole table that is not in the kernel yet without sending its large element lists through libnftables'
/// text parser: first the table as text with <c>flags dormant</c> (its hooks see no packet) and the elements of sets
/// without a <see cref="NftElementLayout"/>, then one netlink batch that adds every other element and wakes the table.
/// Packets meet either no table or the whole one, as with a single transaction. On a failure the dormant table is
/// deleted again.
/// </summary>
internal static class NftTableLoader
{
    /// <summary>Whether the kernel holds <paramref name="family"/> <paramref name="table"/> (in the context's namespace).</summary>
    public static bool Exists(NftContext context, string family, string table)
    {
        var result = context.Run($"list tables {family}");
        return result.Succeeded && result.Output.Split('\n').Any(line => line.Trim() == $"table {family} {table}");
    }

    public static NftResult Load(NftContext context, NftRuleset ruleset)
    {
        var script = new NftScript(ruleset.Family, ruleset.Table);
        script.WriteTable(ruleset, dormant: true, withElements: s => NftElementLayout.Of(s) is null);
        var structure = context.Run(script.ToString());
        if (!structure.Succeeded)
        {
            return structure;
        }

        try
        {
            var batch = new NftNetlinkBatch(ruleset.Family, ruleset.Table);
            foreach (var set in ruleset.Sets.Where(s => !s.Dynamic && s.Elements.Count > 0 && NftElementLayout.Of(s) is not null))
            {
                batch.AddElements(set, set.Elements);
            }

            batch.WakeTable();
            batch.Commit();
            return structure;
        }
        catch (Exception error) when (error is NetlinkException or IOException or ArgumentException or FormatException or OverflowException)
        {
            context.Run($"delete table {ruleset.Family} {ruleset.Table}");
            return new NftResult(false, "", $"loading the elements of table {ruleset.Family} {ruleset.Table} by netlink: {error.Message}");
        }
    }

    /// <summary>
    /// Applies element changes as one netlink batch, for large partial syncs (a pod backing thousands of Services
    /// turning unready). Null when some set has no <see cref="NftElementLayout"/> (<paramref name="declared"/> names
    /// each set's declaration): use the text.
    /// </summary>
    public static NftResult? TryApplyElements(string family, string table, IReadOnlyList<NftElementOperation> operations, Func<string, NftSet?> declared)
    {
        var sets = operations.Select(o => o.Set).Distinct(StringComparer.Ordinal).ToDictionary(n => n, declared, StringComparer.Ordinal);
        if (sets.Values.Any(s => s is null || NftElementLayout.Of(s) is null))
        {
            return null;
        }

        try
        {
            var batch = new NftNetlinkBatch(family, table);
            foreach (var operation in operations)
            {
                if (operation.Add)
                {
                    batch.AddElements(sets[operation.Set]!, operation.Elements);
                }
                else
                {
                    batch.DeleteElements(sets[operation.Set]!, operation.Elements);
                }
            }

            batch.Commit();
            return new NftResult(true, "", "");
        }
        catch (Exception error) when (error is NetlinkException or IOException or ArgumentException or FormatException or OverflowException)
        {
            return new NftResult(false, "", $"element changes by netlink: {error.Message}");
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> step by step: its new objects as text, its elements by netlink, what is no
    /// longer used as text. Null (nothing done) when the elements cannot go by netlink.
    /// </summary>
    public static NftResult? TryApplyStaged(NftContext context, string family, string table, StagedChange change, Func<string, NftSet?> declared)
    {
        if (change.Elements.Select(o => o.Set).Distinct(StringComparer.Ordinal).Any(n => declared(n) is not { } set || NftElementLayout.Of(set) is null))
        {
            return null;
        }

        if (change.Before.Length > 0 && context.Run(change.Before) is { Succeeded: false } before)
        {
            return before;
        }

        var elements = TryApplyElements(family, table, change.Elements, declared)!;
        return !elements.Succeeded || change.After.Length == 0 ? elements : context.Run(change.After);
    }
}
