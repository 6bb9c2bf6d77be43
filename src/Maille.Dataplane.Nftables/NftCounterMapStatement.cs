using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Counts into the named counter an object map gives for the key:
/// <c>counter name ip saddr . meta l4proto . th dport map @ingress-41c7c23ac077</c>. No entry for the key, no count,
/// and the rest of the rule does not run (the kernel's NFT_BREAK): the lookup is also the rule's match.
/// </summary>
internal sealed record NftCounterMapStatement(EquatableArray<NftField> Key, string Map) : NftStatement
{
    public override string Text => $"counter name {NftFields.Text(Key)} map @{Map}";
}
