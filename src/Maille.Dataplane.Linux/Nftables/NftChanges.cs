namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// What the kernel announced since the last wait: the tables whose objects (the table, chains, rules, sets, elements,
/// objects) commits added or deleted, as <c>(family, name)</c>. <see cref="Complete"/> is false when the receive buffer
/// overflowed and some announcements were lost: the tables are then a part of what changed, and only the generation and
/// the rules tell the rest.
/// </summary>
public sealed record NftChanges(IReadOnlySet<(string Family, string Table)> Tables, bool Complete);
