namespace Maille.Dataplane.Nftables;

/// <summary>
/// A partial sync that can be applied in steps, each leaving a working table: <see cref="Before"/> (text: new sets,
/// maps and chains, which nothing uses yet), <see cref="Elements"/> (element changes, for a netlink batch),
/// <see cref="After"/> (text: chains, sets and maps nothing uses any more). Either text may be empty.
/// </summary>
public sealed record StagedChange(string Before, IReadOnlyList<NftElementOperation> Elements, string After)
{
    public int ElementCount => Elements.Sum(o => o.Elements.Count);
}
