using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Membership of a concatenated key in a named set: <c>ip saddr . ip daddr @hairpin</c>, or with <see cref="Negated"/>
/// its absence (<c>ip daddr . meta l4proto . th dport . ip saddr != @firewall-allow</c>).
/// </summary>
internal sealed record NftSetMatch(EquatableArray<NftField> Key, string Set, bool Negated = false) : NftMatch
{
    public override string Text => $"{NftFields.Text(Key)} {(Negated ? "!= " : "")}@{Set}";
}
