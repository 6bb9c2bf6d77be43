using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// One nftables table as a value: its named counters, its sets and maps, then its chains. <see cref="NftScript"/>
/// writes it as text.
/// </summary>
public sealed record NftRuleset(string Family, string Table, EquatableArray<NftSet> Sets, EquatableArray<NftChain> Chains)
{
    /// <summary>Named counter objects (<c>counter NAME { }</c>), which rules count into with <see cref="NftCounterStatement"/>.</summary>
    public EquatableArray<string> Counters { get; init; } = EquatableArray<string>.Empty;

    public NftChain? Chain(string name) => Chains.FirstOrDefault(c => c.Name == name);

    public NftSet? Set(string name) => Sets.FirstOrDefault(s => s.Name == name);

    public int RuleCount => Chains.Sum(c => c.Rules.Count);

    public int ElementCount => Sets.Where(s => !s.Dynamic).Sum(s => s.Elements.Count);
}
