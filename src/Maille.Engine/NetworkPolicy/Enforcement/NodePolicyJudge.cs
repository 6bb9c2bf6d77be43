using System.Collections.Frozen;
using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Reads a <see cref="NodePolicyPlan"/> the way the node's rules do, one lookup per step: the pod's chain for the
/// direction, then the chain's compiled rules in order against the sets. It answers what the plan (not the
/// evaluator) decides, so tests can hold the compilation to <see cref="NetworkPolicyEvaluator"/>.
/// </summary>
public sealed class NodePolicyJudge
{
    private readonly FrozenDictionary<IPAddress, LocalPodPolicy> _pods;
    private readonly FrozenDictionary<string, PolicyChain> _chains;
    private readonly FrozenDictionary<string, TierChain> _tierChains;
    private readonly FrozenDictionary<string, PeerSet> _peerSets;
    private readonly FrozenDictionary<string, NamedPortSet> _namedPortSets;

    public NodePolicyJudge(NodePolicyPlan plan)
    {
        Plan = plan;
        _pods = plan.Pods.ToFrozenDictionary(p => p.Address);
        _chains = plan.Chains.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        _tierChains = plan.TierChains.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        _peerSets = plan.PeerSets.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        _namedPortSets = plan.NamedPortSets.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public NodePolicyPlan Plan { get; }

    /// <summary>Whether <paramref name="address"/> is a pod of this node (one whose directions this node decides).</summary>
    public bool IsLocalPod(IPAddress address) => _pods.ContainsKey(address);

    /// <summary>
    /// The forward hook for a new connection from <paramref name="source"/> to <paramref name="destination"/>, after any
    /// Service DNAT: a local pod reaching itself is allowed; otherwise a local source's egress, then a local
    /// destination's ingress, must allow it.
    /// </summary>
    public ForwardDecision Forward(IPAddress source, IPAddress destination, int port, Protocol protocol)
    {
        if (source.Equals(destination) && IsLocalPod(source))
        {
            return new ForwardDecision(true, null, null);
        }

        return new ForwardDecision(
            false,
            IsLocalPod(source) ? Judge(PolicyDirection.Egress, source, destination, port, protocol) : null,
            IsLocalPod(destination) ? Judge(PolicyDirection.Ingress, destination, source, port, protocol) : null);
    }

    /// <summary>
    /// One direction of local pod <paramref name="local"/> against <paramref name="peer"/> (the source for ingress,
    /// the destination for egress) on the destination's <paramref name="port"/>.
    /// </summary>
    public ChainDecision Judge(PolicyDirection direction, IPAddress local, IPAddress peer, int port, Protocol protocol)
    {
        var pod = _pods.TryGetValue(local, out var found) ? found : throw new ArgumentException($"{local} is not a pod of node {Plan.NodeName}", nameof(local));
        if ((direction == PolicyDirection.Ingress ? pod.IngressChain : pod.EgressChain) is not { } name)
        {
            return new ChainDecision(direction, null, null);
        }

        var destination = direction == PolicyDirection.Ingress ? local : peer;
        CompiledClusterRule? passedBy = null;
        while (_tierChains.TryGetValue(name, out var tier))
        {
            // The first rule that matches decides; a Pass, or no match, goes on to the next chain (none: allowed).
            var matched = tier.Rules.FirstOrDefault(rule => Matches(rule, peer, destination, port, protocol));
            if (matched is { Action: not ClusterPolicyAction.Pass })
            {
                return new ChainDecision(direction, name, null) { DecidedBy = matched, PassedBy = passedBy };
            }

            passedBy = matched ?? passedBy;
            if (tier.Next is not { } next)
            {
                return new ChainDecision(direction, name, null) { ByDefault = true, PassedBy = passedBy };
            }

            name = next;
        }

        var allowedBy = _chains[name].Rules.FirstOrDefault(rule => Matches(rule, peer, destination, port, protocol));
        return new ChainDecision(direction, name, allowedBy) { PassedBy = passedBy };
    }

    private bool Matches(CompiledClusterRule rule, IPAddress peer, IPAddress destination, int port, Protocol protocol) =>
        Matches(rule.PeerSet, rule.Protocol, rule.Ports, rule.NamedPortSet, peer, destination, port, protocol);

    private bool Matches(CompiledRule rule, IPAddress peer, IPAddress destination, int port, Protocol protocol) =>
        Matches(rule.PeerSet, rule.Protocol, rule.Ports, rule.NamedPortSet, peer, destination, port, protocol);

    private bool Matches(string? peerSet, Protocol? wanted, PortRange? ports, string? namedPortSet, IPAddress peer, IPAddress destination, int port, Protocol protocol) =>
        (peerSet is not { } peers || _peerSets[peers].Contains(peer))
        && (wanted is not { } expected || expected == protocol)
        && (ports is not { } range || (range.First <= port && port <= range.Last))
        && (namedPortSet is not { } named || _namedPortSets[named].Contains(destination, protocol, port));
}
