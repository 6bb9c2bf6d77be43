using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>A lookup in a named verdict map: <c>ip daddr . meta l4proto . th dport vmap @service-ips</c>; no entry, no verdict.</summary>
internal sealed record NftVerdictMapStatement(EquatableArray<NftField> Key, string Map) : NftStatement
{
    public override string Text => $"{NftFields.Text(Key)} vmap @{Map}";
}
