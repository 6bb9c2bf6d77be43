namespace Maille.Model;

/// <summary>
/// MetalLB's <c>L2Advertisement</c> (<c>metallb.io/v1beta1</c>): which pools are announced with ARP, from which nodes
/// and interfaces. No pool names and no pool selectors means every pool; no node selectors means every node; no
/// interfaces means every interface.
/// </summary>
public sealed record L2Advertisement
{
    public const string KindName = "L2Advertisement";

    public required ObjectMeta Meta { get; init; }

    public EquatableArray<string> IPAddressPools { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<LabelSelector> IPAddressPoolSelectors { get; init; } = EquatableArray<LabelSelector>.Empty;

    public EquatableArray<LabelSelector> NodeSelectors { get; init; } = EquatableArray<LabelSelector>.Empty;

    public EquatableArray<string> Interfaces { get; init; } = EquatableArray<string>.Empty;

    /// <summary>True for the advertisement Maille makes when the input gives neither pools nor advertisements.</summary>
    public bool Implicit { get; init; }

    public string Name => Meta.Name;

    public bool Covers(IPAddressPool pool) =>
        (IPAddressPools.IsEmpty && IPAddressPoolSelectors.IsEmpty)
        || IPAddressPools.Contains(pool.Name)
        || IPAddressPoolSelectors.Any(s => s.Matches(pool.Meta.Labels));
}
