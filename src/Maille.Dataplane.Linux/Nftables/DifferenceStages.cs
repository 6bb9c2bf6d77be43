namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// A partial sync of the Service table, written in the stages of its one transaction (see
/// <c>ServiceRulesetState.WriteDifference</c>): flush the chains to rewrite, create, rewrite, elements, remove.
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

    /// <summary>The whole change as one transaction.</summary>
    public string Text() => string.Concat(All.Select(s => s.ToString()));

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
