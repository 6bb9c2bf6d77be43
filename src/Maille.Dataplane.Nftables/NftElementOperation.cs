namespace Maille.Dataplane.Nftables;

/// <summary>One element command of a script: elements added to (with their values) or deleted from (by key) a named set.</summary>
public sealed record NftElementOperation(bool Add, string Set, IReadOnlyList<NftElement> Elements);
