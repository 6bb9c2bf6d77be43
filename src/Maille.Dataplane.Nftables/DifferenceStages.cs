namespace Maille.Dataplane.Nftables;

/// <summary>
/// A partial sync of the Service table, written in stages (see <c>ServiceRulesetState.WriteDifference</c>): create;
/// then flush the chains to rewrite, rewrite, elements, remove. <see cref="Steps"/> makes them transactions.
/// </summary>
internal sealed class DifferenceStages
{
    public NftScript Flush { get; } = New();

    public NftScript Create { get; } = New();

    public NftScript Rewrite { get; } = New();

    public NftScript Elements { get; } = New();

    public NftScript Remove { get; } = New();

    public int CommandCount => All.Sum(s => s.CommandCount);

    private IEnumerable<NftScript> All => [Flush, Create, Rewrite, Elements, Remove];

    /// <summary>
    /// The change as transactions to run in order: what is new first, alone, when anything else changes too; then the
    /// rest (<see cref="NftRulesetSteps"/> says why: a packet crossing the commit of one transaction that both makes a
    /// chain and points a map at it can walk that chain empty, and a new Service's first packet would miss its DNAT).
    /// </summary>
    public IReadOnlyList<string> Steps()
    {
        var rest = string.Concat(new[] { Flush, Rewrite, Elements, Remove }.Select(s => s.ToString()));
        return Create.IsEmpty || rest.Length == 0 ? [Create.ToString() + rest] : [Create.ToString(), rest];
    }

    /// <summary>
    /// When no chain is rewritten, the change as three steps that each leave a working table: the new objects (text),
    /// the element changes (for a netlink batch), what is no longer used (text). Null otherwise.
    /// </summary>
    public StagedChange? Split() =>
        Flush.IsEmpty && Rewrite.IsEmpty && !Elements.IsEmpty
            ? new StagedChange(Create.ToString(), Elements.ElementOperations, Remove.ToString())
            : null;

    private static NftScript New() => new(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table);
}
