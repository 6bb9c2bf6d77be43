using System.Collections.Immutable;
using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>ClusterNetworkPolicy rule matching: a tier's policies in order, the first rule that matches decides.</summary>
public sealed partial class NetworkPolicyEvaluator
{
    /// <summary>
    /// The first rule, over <paramref name="policies"/> in evaluation order and each policy's rules in the order
    /// written, whose peers and protocols match; null when none does.
    /// </summary>
    private ClusterRuleRef? FirstClusterMatch(
        ImmutableArray<ClusterNetworkPolicy> policies, PolicyDirection direction, PodClass? peer, IPAddress? address, Pod? destination, int port, Protocol protocol)
    {
        foreach (var policy in policies)
        {
            var rules = policy.RulesFor(direction);
            for (var r = 0; r < rules.Count; r++)
            {
                var rule = rules[r];
                var peerIndex = -1;
                for (var i = 0; i < rule.Peers.Count && peerIndex < 0; i++)
                {
                    if (ClusterPeerMatches(rule.Peers[i], peer, address))
                    {
                        peerIndex = i;
                    }
                }

                if (peerIndex < 0)
                {
                    continue;
                }

                var (portMatched, portIndex) = MatchClusterPort(rule.Ports, destination, port, protocol);
                if (portMatched)
                {
                    return new ClusterRuleRef(policy.Tier, policy.Priority, policy.Name, direction, r, rule.Name, rule.Action, peerIndex, portIndex);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Namespaces and pods peers select pods (a hostNetwork pod is an external endpoint, never selected); networks
    /// select any address, pods' included; nodes select the addresses of the nodes whose labels match.
    /// </summary>
    internal bool ClusterPeerMatches(ClusterPolicyPeer entry, PodClass? peer, IPAddress? address)
    {
        if (entry.Namespaces is { } namespaces)
        {
            return peer is not null && namespaces.Matches(peer.NamespaceLabels);
        }

        if (entry.Pods is { } pods)
        {
            return peer is not null && pods.Matches(peer.NamespaceLabels, peer.Representative.Labels);
        }

        if (entry.Nodes is { } nodes)
        {
            return peer is null && address is not null && _nodes.Any(n => address.Equals(n.InternalIP) && nodes.Matches(n.Meta.Labels));
        }

        return address is not null && entry.Networks.Any(n => n.Contains(address));
    }

    /// <summary>Protocol entries are ORed; an empty list matches every port and protocol.</summary>
    private static (bool Matched, int? Index) MatchClusterPort(EquatableArray<ClusterPolicyPort> ports, Pod? destination, int port, Protocol protocol)
    {
        if (ports.IsEmpty)
        {
            return (true, null);
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (ClusterPortMatches(ports[i], destination, port, protocol))
            {
                return (true, i);
            }
        }

        return (false, null);
    }

    /// <summary>A named port resolves on the destination pod, with whatever protocol its containerPort declares.</summary>
    internal static bool ClusterPortMatches(ClusterPolicyPort entry, Pod? destination, int port, Protocol protocol) => entry.NamedPort is { } name
        ? destination?.Spec.FindPort(name, protocol)?.Port == port
        : entry.Protocol == protocol && entry.First <= port && port <= entry.Last;
}
