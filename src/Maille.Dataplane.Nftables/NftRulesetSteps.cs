namespace Maille.Dataplane.Nftables;

/// <summary>
/// A partial sync of one table as two transactions (<see cref="NftRulesetDiff"/>), each leaving a table that works:
/// <see cref="Create"/> declares what is new (counters, sets and maps with their elements, chains with their rules),
/// which nothing refers to yet; <see cref="Change"/> points the table at it (elements, rewritten chains), then deletes
/// what nothing refers to any more.
/// </summary>
/// <remarks>
/// Why not one transaction: the kernel reads the generation once per packet for the chains it walks but again at each
/// set lookup, and a <c>pipapo</c> set publishes its elements only after the generation has flipped. A packet crossing
/// the commit of a transaction that both creates a chain and points a verdict map at it can therefore jump to that
/// chain as the old generation sees it (no rules: the packet returns and is accepted), or look up a new map that
/// still looks empty (and be denied). Created one commit earlier, every generation sees the new objects whole.
/// Deleting in the same commit that stops referring is safe: the old generation keeps what it sees until no packet
/// can still be walking it.
/// </remarks>
internal sealed class NftRulesetSteps(string family, string table)
{
    public NftScript Create { get; } = new(family, table);

    public NftScript Change { get; } = new(family, table);

    public int CommandCount => Create.CommandCount + Change.CommandCount;

    /// <summary>The transactions that hold commands, in the order they must be applied.</summary>
    public IReadOnlyList<string> Scripts => [.. new[] { Create, Change }.Where(s => !s.IsEmpty).Select(s => s.ToString())];
}
