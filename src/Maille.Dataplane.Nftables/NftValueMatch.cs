namespace Maille.Dataplane.Nftables;

/// <summary>
/// A field compared with one value: <c>ip saddr 198.19.0.0/16</c>, <c>ip daddr != 198.18.128.0/17</c>,
/// <c>meta l4proto tcp</c>, <c>fib saddr type local</c>, <c>ct status dnat</c>. Addresses may be networks.
/// </summary>
internal sealed record NftValueMatch(NftField Field, string Value, bool Negated = false) : NftMatch
{
    public override string Text => $"{NftFields.Text(Field)} {(Negated ? "!= " : "")}{Value}";
}
