namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The contents of the pod policy maps for one plan (<see cref="PodPolicyState.Render"/>), and the names behind their
/// numbers: chain ids by chain name, segment ids by content, counter slots by counter key (a policy rule's
/// <c>PolicyRuleId.Key</c>, a ClusterNetworkPolicy rule's <c>ClusterRuleId.Key</c>, or <c>deny/CHAIN</c> for a chain's end).
/// </summary>
public sealed record PodPolicyMaps
{
    public static readonly PodPolicyMaps Empty = new()
    {
        Entries = new Dictionary<PodPolicyMap, IReadOnlyDictionary<string, PodPolicyEntry>>(),
        Chains = new Dictionary<string, uint>(StringComparer.Ordinal),
        Segments = new Dictionary<string, uint>(StringComparer.Ordinal),
        Slots = new Dictionary<string, uint>(StringComparer.Ordinal),
    };

    /// <summary>Per map, its entries by the key's hex (every map but <see cref="PodPolicyMap.Counters"/>).</summary>
    public required IReadOnlyDictionary<PodPolicyMap, IReadOnlyDictionary<string, PodPolicyEntry>> Entries { get; init; }

    public required IReadOnlyDictionary<string, uint> Chains { get; init; }

    public required IReadOnlyDictionary<string, uint> Segments { get; init; }

    public required IReadOnlyDictionary<string, uint> Slots { get; init; }

    public IReadOnlyDictionary<string, PodPolicyEntry> Of(PodPolicyMap map) =>
        Entries.TryGetValue(map, out var entries) ? entries : new Dictionary<string, PodPolicyEntry>();
}
