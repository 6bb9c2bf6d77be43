using System.Globalization;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Destination NAT to the address and port a typed map gives for the key, with <c>numgen random mod N</c> appended
/// to the key so that one of N entries is chosen uniformly:
/// <c>dnat to ip daddr . meta l4proto . th dport . numgen random mod 3 map @endpoints-3</c>. No entry, no translation.
/// </summary>
internal sealed record NftDnatMapStatement(EquatableArray<NftField> Key, int Modulus, string Map) : NftStatement
{
    public override string Text =>
        string.Create(CultureInfo.InvariantCulture, $"dnat to {NftFields.Text(Key)} . numgen random mod {Modulus} map @{Map}");
}
