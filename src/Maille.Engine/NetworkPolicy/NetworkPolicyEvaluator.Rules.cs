using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>Rule matching: peers, ports, and the two policy sides of a connection.</summary>
public sealed partial class NetworkPolicyEvaluator
{
    /// <summary>
    /// Decides a connection between two endpoints, each a pod class or (class null) an external address. For a pod the
    /// class's representative stands for it; the class key guarantees that any member would give the same answer.
    /// </summary>
    private Verdict Decide(PodClass? from, IPAddress? fromAddress, PodClass? to, IPAddress? toAddress, int port, Protocol protocol)
    {
        var egress = from is null
            ? DirectionVerdict.NotApplicable(PolicyDirection.Egress)
            : Judge(from, PolicyDirection.Egress, to, toAddress, port, protocol);
        var ingress = to is null
            ? DirectionVerdict.NotApplicable(PolicyDirection.Ingress)
            : Judge(to, PolicyDirection.Ingress, from, fromAddress, port, protocol);
        return new Verdict(VerdictReason.Policy, egress, ingress);
    }

    /// <summary>
    /// One side, in the evaluation order: the subject's Admin-tier rules (Accept and Deny decide, Pass goes on), its
    /// NetworkPolicies for the direction (when they isolate it, they decide), its Baseline-tier rules, default allow.
    /// </summary>
    private DirectionVerdict Judge(PodClass subject, PolicyDirection direction, PodClass? peer, IPAddress? peerAddress, int port, Protocol protocol)
    {
        var policies = direction == PolicyDirection.Ingress ? subject.IngressPolicies : subject.EgressPolicies;
        var isolatedBy = direction == PolicyDirection.Ingress ? subject.IngressIsolatedBy : subject.EgressIsolatedBy;

        // Named ports resolve on the destination: the subject for ingress, the peer for egress (none if external).
        var destination = direction == PolicyDirection.Ingress ? subject.Representative : peer?.Representative;
        var address = peer is null ? peerAddress : peer.Representative.Status.PodIP;
        var admin = FirstClusterMatch(subject.AdminPolicies, direction, peer, address, destination, port, protocol);
        if (admin is { Action: not ClusterPolicyAction.Pass })
        {
            return new DirectionVerdict(direction, true, isolatedBy, null) { DecidedBy = admin };
        }

        if (policies.IsEmpty)
        {
            var baseline = FirstClusterMatch(subject.BaselinePolicies, direction, peer, address, destination, port, protocol);
            if (admin is null && baseline is null)
            {
                return DirectionVerdict.NotIsolated(direction);
            }

            // A Pass in the Baseline tier leaves the connection to the default, as no match would.
            return new DirectionVerdict(direction, true, [], null)
            {
                DecidedBy = baseline is { Action: not ClusterPolicyAction.Pass } ? baseline : null,
                PassedBy = admin ?? (baseline is { Action: ClusterPolicyAction.Pass } ? baseline : null),
            };
        }

        RuleRef? allowedBy = null;
        foreach (var policy in policies)
        {
            allowedBy = FirstMatch(policy, direction, peer, address, destination, port, protocol);
            if (allowedBy is not null)
            {
                break;
            }
        }

        return new DirectionVerdict(direction, true, isolatedBy, allowedBy) { PassedBy = admin };
    }

    private static RuleRef? FirstMatch(NetworkPolicy policy, PolicyDirection direction, PodClass? peer, IPAddress? address, Pod? destination, int port, Protocol protocol)
    {
        var rules = direction == PolicyDirection.Ingress ? policy.Ingress : policy.Egress;
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var (peerMatched, peerIndex) = MatchPeer(policy, rule.Peers, peer, address);
            if (!peerMatched)
            {
                continue;
            }

            var (portMatched, portIndex) = MatchPort(rule.Ports, destination, port, protocol);
            if (portMatched)
            {
                return new RuleRef(policy.Namespace, policy.Meta.Name, direction, r, peerIndex, portIndex);
            }
        }

        return null;
    }

    /// <summary>Peers are ORed; an empty list matches anything, external addresses included.</summary>
    private static (bool Matched, int? Index) MatchPeer(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers, PodClass? peer, IPAddress? address)
    {
        if (peers.IsEmpty)
        {
            return (true, null);
        }

        for (var i = 0; i < peers.Count; i++)
        {
            if (PeerMatches(policy, peers[i], peer, address))
            {
                return (true, i);
            }
        }

        return (false, null);
    }

    internal static bool PeerMatches(NetworkPolicy policy, NetworkPolicyPeer entry, PodClass? peer, IPAddress? address)
    {
        if (entry.IpBlock is { } block)
        {
            return address is not null && block.Contains(address);
        }

        if (peer is null || (entry.PodSelector is null && entry.NamespaceSelector is null))
        {
            return false;
        }

        var namespaceMatches = entry.NamespaceSelector is { } namespaces
            ? namespaces.Matches(peer.NamespaceLabels)
            : peer.Representative.Namespace == policy.Namespace;
        return namespaceMatches && (entry.PodSelector?.Matches(peer.Representative.Labels) ?? true);
    }

    /// <summary>Ports are ORed; an empty list matches every port and protocol.</summary>
    private static (bool Matched, int? Index) MatchPort(EquatableArray<NetworkPolicyPort> ports, Pod? destination, int port, Protocol protocol)
    {
        if (ports.IsEmpty)
        {
            return (true, null);
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (PortMatches(ports[i], destination, port, protocol))
            {
                return (true, i);
            }
        }

        return (false, null);
    }

    internal static bool PortMatches(NetworkPolicyPort entry, Pod? destination, int port, Protocol protocol)
    {
        if (entry.Protocol != protocol)
        {
            return false;
        }

        return entry.Port switch
        {
            null => true,
            { IsNamed: true, Name: var name } => destination?.Spec.FindPort(name!, protocol)?.Port == port,
            { Number: var number } => entry.EndPort is { } end ? number <= port && port <= end : number == port,
        };
    }
}
