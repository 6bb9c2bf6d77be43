namespace Maille.Dataplane.Nftables;

/// <summary>An element together with the name of the set or map it belongs to.</summary>
public sealed record NftSetElement(string Set, NftElement Element);
