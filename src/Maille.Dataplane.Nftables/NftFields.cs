namespace Maille.Dataplane.Nftables;

/// <summary>The nftables text of <see cref="NftField"/>s and of the concatenated keys the maps use.</summary>
internal static class NftFields
{
    /// <summary>The key of every per-address map: destination address, protocol, destination port.</summary>
    public static readonly Maille.Model.EquatableArray<NftField> ServiceKey =
        new[] { NftField.DestinationAddress, NftField.Protocol, NftField.DestinationPort };

    public static string Text(NftField field) => field switch
    {
        NftField.SourceAddress => "ip saddr",
        NftField.DestinationAddress => "ip daddr",
        NftField.Protocol => "meta l4proto",
        NftField.DestinationPort => "th dport",
        NftField.SourceAddressType => "fib saddr type",
        NftField.ConntrackStatus => "ct status",
        NftField.ConntrackState => "ct state",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    public static string Text(IEnumerable<NftField> key) => string.Join(" . ", key.Select(Text));
}
