using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>A chain: a base chain when <see cref="Hook"/> is set, otherwise reached by jump, goto or a verdict map.</summary>
public sealed record NftChain(string Name, NftHook? Hook, EquatableArray<NftRule> Rules);
