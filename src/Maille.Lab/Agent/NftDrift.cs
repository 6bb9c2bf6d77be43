namespace Maille.Lab.Agent;

/// <summary>The agent's nftables tables changed behind its back: the generation seen now and the one its last commit left.</summary>
internal readonly record struct NftDrift(uint Current, long Own);
