using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The NetworkPolicy enforcement one node does, as a value (made by <see cref="NodePolicyPlanner"/>, compiled as
/// docs/networkpolicy-dataplane.md describes). Egress is decided on the source pod's node and ingress on the
/// destination pod's node, so a node's plan covers only its own pods, but its sets hold addresses from the whole
/// cluster. Equal plans program equal rules; every list is sorted, by address or by name.
/// </summary>
/// <remarks>
/// Where this plan is shaped for nftables (a second data plane inherits these choices; none changes a verdict):
/// <list type="bullet">
/// <item>Chains, peer sets and named-port sets are named from their content (<see cref="PolicyChain"/>,
/// <see cref="PeerSet"/>), so a change is "create, point at, delete" and never a rewrite in place: the order in which
/// an nftables transaction stays right for packets crossing its commit (Maille.Dataplane.Nftables'
/// <c>NftRulesetSteps</c>). The names are short (a word such as <c>ingress-</c> or <c>peers-</c> and 12 hex digits)
/// and start with a letter, as nftables names must.</item>
/// <item><see cref="PeerSet.Members"/> are sorted, disjoint, non-adjacent ranges (<see cref="AddressRanges.Normalize"/>):
/// nftables refuses overlapping elements in an interval set. <see cref="ChainFold"/> (used by the nftables renderer,
/// not part of the plan) cuts boxes that never overlap for the same reason.</item>
/// <item>The element text helpers (<see cref="AddressRanges.Text"/>, <see cref="FoldedElement.ProtocolText"/>,
/// <see cref="NamedPortTarget"/>'s <c>ToString</c>) write nftables' element syntax, which is also how the engine's tests
/// read ranges.</item>
/// </list>
/// What is not here: nftables' limits on names (a rule's counter name, at most 255 bytes, is derived from
/// <see cref="PolicyRuleId.Key"/> in Maille.Dataplane.Nftables' <c>PolicyCounterNames</c>), its table and chain layout, and
/// its statements. The Service plan (<c>NodeServicePlan</c>) is backend-neutral: kube-proxy's decisions, no names.
/// </remarks>
public sealed record NodePolicyPlan
{
    public required string NodeName { get; init; }

    /// <summary>The node's own address: traffic between it and its pods never crosses the forward hook (always allowed).</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>Every non-hostNetwork pod of this node that has an IPv4 address, isolated or not, by address.</summary>
    public required EquatableArray<LocalPodPolicy> Pods { get; init; }

    /// <summary>The NetworkPolicy chains the pods (or their tier chains) point at, by name.</summary>
    public required EquatableArray<PolicyChain> Chains { get; init; }

    /// <summary>
    /// The ClusterNetworkPolicy tier chains the pods point at, by name: empty in a cluster without ClusterNetworkPolicies,
    /// so such a cluster plans (and renders) exactly as before they existed.
    /// </summary>
    public EquatableArray<TierChain> TierChains { get; init; } = EquatableArray<TierChain>.Empty;

    /// <summary>The peer sets the chains name, by name.</summary>
    public required EquatableArray<PeerSet> PeerSets { get; init; }

    /// <summary>The egress named-port sets the chains name, by name.</summary>
    public required EquatableArray<NamedPortSet> NamedPortSets { get; init; }

    /// <summary>Every policy rule some chain counts under, by <see cref="PolicyRuleId.Key"/>.</summary>
    public IEnumerable<PolicyRuleId> CountedRules =>
        Chains.SelectMany(c => c.Rules).Select(r => r.Rule).Distinct().OrderBy(r => r.Key, StringComparer.Ordinal);

    /// <summary>Every ClusterNetworkPolicy rule some tier chain counts under, by <see cref="ClusterRuleId.Key"/>.</summary>
    public IEnumerable<ClusterRuleId> CountedClusterRules =>
        TierChains.SelectMany(c => c.Rules).Select(r => r.Rule).Distinct().OrderBy(r => r.Key, StringComparer.Ordinal);
}
