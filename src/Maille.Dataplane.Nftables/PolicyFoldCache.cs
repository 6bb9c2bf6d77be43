using Maille.Engine.NetworkPolicies;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// The folded maps of the last <see cref="PolicyRulesetBuilder.Build"/>, kept so that the next build folds again only
/// the chains whose rules or whose sets' members changed: a relabelled pod re-folds the chains that name its sets,
/// not all of them. A map is reused only when its chain and every set the chain names are equal to those it was
/// folded from, so the table built is the same with or without the cache. Thread-safe; entries a build did not use
/// are dropped at its end.
/// </summary>
public sealed class PolicyFoldCache
{
    private readonly Lock _gate = new();
    private Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The maps folded from <paramref name="chain"/> and the sets it names, from the cache or from <paramref name="fold"/>.</summary>
    public IReadOnlyList<NftSet> Get(PolicyChain chain, IReadOnlyDictionary<string, PeerSet> peerSets, IReadOnlyDictionary<string, NamedPortSet> namedPortSets, Func<IReadOnlyList<NftSet>> fold)
    {
        var inputs = chain.Rules.Select(r => r.PeerSet).OfType<string>().Distinct(StringComparer.Ordinal).Select(n => (object)peerSets[n])
            .Concat(chain.Rules.Select(r => r.NamedPortSet).OfType<string>().Distinct(StringComparer.Ordinal).Select(n => namedPortSets[n]))
            .ToArray();
        lock (_gate)
        {
            if (_entries.TryGetValue(chain.Name, out var entry) && entry.Chain.Equals(chain) && entry.Inputs.SequenceEqual(inputs))
            {
                return entry.Maps;
            }
        }

        var maps = fold();
        lock (_gate)
        {
            _entries[chain.Name] = new Entry(chain, inputs, maps);
        }

        return maps;
    }

    /// <summary>Drops every entry but those of <paramref name="chains"/> (the chains folded by the build just made).</summary>
    public void Retain(IEnumerable<string> chains)
    {
        lock (_gate)
        {
            var kept = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var name in chains)
            {
                if (_entries.TryGetValue(name, out var entry))
                {
                    kept[name] = entry;
                }
            }

            _entries = kept;
        }
    }

    private sealed record Entry(PolicyChain Chain, object[] Inputs, IReadOnlyList<NftSet> Maps);
}
