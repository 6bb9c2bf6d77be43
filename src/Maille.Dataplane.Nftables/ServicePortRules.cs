using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// What one Service port adds to the node's table: elements of the shared sets and maps, the shared chains and
/// their maps it needs (<c>chain:internal-3</c> with map <c>internal-endpoints-3</c>: kept while any port needs them), and its own
/// chains and dynamic sets (session affinity only). Syncing compares these per port, so a change costs what the
/// changed ports own, not what the table holds.
/// </summary>
public sealed record ServicePortRules(
    ServicePortId Id,
    EquatableArray<NftSetElement> Elements,
    EquatableArray<string> SharedObjects,
    EquatableArray<NftChain> Chains,
    EquatableArray<NftSet> Sets)
{
    public static ServicePortRules Empty(ServicePortId id) =>
        new(id, EquatableArray<NftSetElement>.Empty, EquatableArray<string>.Empty, EquatableArray<NftChain>.Empty, EquatableArray<NftSet>.Empty);
}
