using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The NetworkPolicy enforcement one node does, as a value (made by <see cref="NodePolicyPlanner"/>, compiled as
/// docs/networkpolicy-dataplane.md describes). Egress is decided on the source pod's node and ingress on the
/// destination pod's node, so a node's plan covers only its own pods, but its sets hold addresses from the whole
/// cluster. Equal plans program equal rules; every list is sorted, by address or by name.
/// </summary>
internal sealed record NodePolicyPlan
{
    public required string NodeName { get; init; }

    /// <summary>The node's own address: traffic between it and its pods never crosses the forward hook (always allowed).</summary>
    public IPAddress? NodeAddress { get; init; }

    /// <summary>Every non-hostNetwork pod of this node that has an IPv4 address, isolated or not, by address.</summary>
    public required EquatableArray<LocalPodPolicy> Pods { get; init; }

    /// <summary>The chains the pods point at, by name.</summary>
    public required EquatableArray<PolicyChain> Chains { get; init; }

    /// <summary>The peer sets the chains name, by name.</summary>
    public required EquatableArray<PeerSet> PeerSets { get; init; }

    /// <summary>The egress named-port sets the chains name, by name.</summary>
    public required EquatableArray<NamedPortSet> NamedPortSets { get; init; }

    /// <summary>Every policy rule some chain counts under, by counter name.</summary>
    public IEnumerable<PolicyRuleId> CountedRules =>
        Chains.SelectMany(c => c.Rules).Select(r => r.Rule).Distinct().OrderBy(r => r.CounterName, StringComparer.Ordinal);
}
