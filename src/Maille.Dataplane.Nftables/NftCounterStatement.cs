namespace Maille.Dataplane.Nftables;

/// <summary>
/// <c>counter</c> (the rule's own packet and byte counts) or <c>counter name "NAME"</c> (counts into a named counter
/// object of the table, which outlives the rules that use it).
/// </summary>
internal sealed record NftCounterStatement(string? Name = null) : NftStatement
{
    public override string Text => Name is null ? "counter" : $"counter name \"{Name}\"";
}
