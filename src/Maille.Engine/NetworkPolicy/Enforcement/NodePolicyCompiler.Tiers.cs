using System.Net.Sockets;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>ClusterNetworkPolicy tiers: one chain per tier, direction and class, rules in the evaluator's order.</summary>
internal sealed partial class NodePolicyCompiler
{
    /// <summary>A named port resolves with whatever protocol the destination declares it, so each is tried.</summary>
    private static readonly Protocol[] PortProtocols = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

    /// <summary>
    /// The chain of <paramref name="tier"/> for the class's <paramref name="direction"/>, going on to
    /// <paramref name="next"/>; null when no policy of that tier whose subject is the class has a rule in that direction
    /// (such a policy does not touch the direction).
    /// </summary>
    private string? TierChainOf(PodClass podClass, ClusterPolicyTier tier, PolicyDirection direction, Pod pod, string? next)
    {
        if (_tierChainOfClass.TryGetValue((podClass.Id, direction, tier), out var cached))
        {
            return cached;
        }

        var policies = (tier == ClusterPolicyTier.Admin ? podClass.AdminPolicies : podClass.BaselinePolicies)
            .Where(p => !p.RulesFor(direction).IsEmpty)
            .ToList();
        var name = policies.Count == 0 ? null : TierChainFor(tier, direction, policies, pod, next);
        _tierChainOfClass.Add((podClass.Id, direction, tier), name);
        return name;
    }

    /// <summary>
    /// The policies in the evaluator's order (the class lists them by priority, then name), each policy's rules as
    /// written, each rule's <c>protocols</c> entries in order.
    /// </summary>
    private string TierChainFor(ClusterPolicyTier tier, PolicyDirection direction, List<ClusterNetworkPolicy> policies, Pod pod, string? next)
    {
        var rules = new List<CompiledClusterRule>();
        foreach (var policy in policies)
        {
            var written = policy.RulesFor(direction);
            for (var index = 0; index < written.Count; index++)
            {
                rules.AddRange(CompileClusterRule(new ClusterRuleId(tier, policy.Priority, policy.Name, direction, index), written[index], pod));
            }
        }

        var directionName = direction == PolicyDirection.Ingress ? "ingress" : "egress";
        var content = new StringBuilder(tier.ToString()).Append('\n').Append(directionName).Append('\n');
        content.AppendJoin(",", policies.Select(p => p.Name)).Append('\n');
        content.AppendJoin("\n", rules.Select(r => r.Canonical));
        content.Append("\nnext=").Append(next ?? "allow");
        var name = Name($"{(tier == ClusterPolicyTier.Admin ? "admin" : "baseline")}-{directionName}", content.ToString());
        _tierChains.TryAdd(name, new TierChain(name, direction, tier, new(policies.Select(p => p.Name)), new(rules), next));
        return name;
    }

    /// <summary>
    /// One compiled rule per <c>protocols</c> entry (one in all when there are none). A named port resolves on the
    /// destination with the protocol it declares: on the pod itself for ingress (one rule per protocol it declares the
    /// name with; none when it lacks the name), on each peer pod for egress (a set of destination, protocol and port
    /// that also stands for the peers, which CEL restricts to namespaces and pods there). A rule without peers
    /// matches nothing, as in the evaluator.
    /// </summary>
    private IEnumerable<CompiledClusterRule> CompileClusterRule(ClusterRuleId id, ClusterPolicyRule rule, Pod pod)
    {
        if (rule.Peers.IsEmpty)
        {
            yield break;
        }

        var compiled = new CompiledClusterRule { Rule = id, RuleName = rule.Name, Action = rule.Action };
        if (rule.Ports.IsEmpty)
        {
            yield return compiled with { PeerSet = ClusterPeerSetFor(rule.Peers) };
            yield break;
        }

        for (var index = 0; index < rule.Ports.Count; index++)
        {
            var entry = rule.Ports[index];
            if (entry.NamedPort is not { } portName)
            {
                yield return compiled with { PortIndex = index, PeerSet = ClusterPeerSetFor(rule.Peers), Protocol = entry.Protocol, Ports = new PortRange(entry.First, entry.Last) };
            }
            else if (id.Direction == PolicyDirection.Egress)
            {
                yield return compiled with { PortIndex = index, NamedPortSet = ClusterNamedPortSetFor(rule.Peers, portName) };
            }
            else
            {
                foreach (var protocol in PortProtocols)
                {
                    if (pod.Spec.FindPort(portName, protocol) is { } declared)
                    {
                        yield return compiled with { PortIndex = index, PeerSet = ClusterPeerSetFor(rule.Peers), Protocol = protocol, Ports = new PortRange(declared.Port, declared.Port) };
                    }
                }
            }
        }
    }

    /// <summary>
    /// The addresses a ClusterNetworkPolicy peer list matches: the pods its namespaces and pods peers select (the
    /// evaluator's own test, per class), its networks as ranges (IPv6 ones match no IPv4 packet), and the addresses of
    /// the nodes its nodes peers select.
    /// </summary>
    private string ClusterPeerSetFor(EquatableArray<ClusterPolicyPeer> peers)
    {
        var definition = "cluster peers " + string.Join(" or ", peers.Select(DescribeClusterPeer));
        if (_peerSets.TryGetValue(definition, out var existing))
        {
            return existing.Name;
        }

        var members = new List<AddressRange>();
        foreach (var (podClass, classPods) in _classes)
        {
            if (AnyClusterPeerMatches(peers, podClass))
            {
                members.AddRange(classPods.Select(p => AddressRanges.Single(NodePolicyPlanner.AddressOf(p))));
            }
        }

        foreach (var peer in peers)
        {
            members.AddRange(peer.Networks.SelectMany(AddressRanges.Of));
            if (peer.Nodes is { } selector)
            {
                members.AddRange(nodes
                    .Where(n => n.InternalIP is { AddressFamily: AddressFamily.InterNetwork } && selector.Matches(n.Meta.Labels))
                    .Select(n => AddressRanges.Single(n.InternalIP!)));
            }
        }

        var set = new PeerSet(Name("peers", definition), definition, AddressRanges.Normalize(members));
        _peerSets.Add(definition, set);
        return set.Name;
    }

    /// <summary>The peer pods that declare <paramref name="portName"/>, with each protocol they declare it with.</summary>
    private string ClusterNamedPortSetFor(EquatableArray<ClusterPolicyPeer> peers, string portName)
    {
        var definition = $"cluster peers {string.Join(" or ", peers.Select(DescribeClusterPeer))}; named port {portName}";
        if (_namedPortSets.TryGetValue(definition, out var existing))
        {
            return existing.Name;
        }

        var members = new List<NamedPortTarget>();
        foreach (var (podClass, classPods) in _classes)
        {
            if (!AnyClusterPeerMatches(peers, podClass))
            {
                continue;
            }

            foreach (var protocol in PortProtocols)
            {
                if (podClass.Representative.Spec.FindPort(portName, protocol) is { } declared)
                {
                    members.AddRange(classPods.Select(p => new NamedPortTarget(NodePolicyPlanner.AddressOf(p), protocol, declared.Port)));
                }
            }
        }

        var set = new NamedPortSet(Name("ports", definition), definition, new(members.OrderBy(m => IpMath.ToUInt32(m.Address)).ThenBy(m => m.Protocol)));
        _namedPortSets.Add(definition, set);
        return set.Name;
    }

    /// <summary>The evaluator's peer test for a class, networks matched against its representative's address.</summary>
    private bool AnyClusterPeerMatches(EquatableArray<ClusterPolicyPeer> peers, PodClass podClass) =>
        peers.Any(peer => evaluator.ClusterPeerMatches(peer, podClass, podClass.Representative.Status.PodIP));

    private static string DescribeClusterPeer(ClusterPolicyPeer peer)
    {
        if (peer.Namespaces is { } namespaces)
        {
            return $"namespaces {Selector(namespaces)}";
        }

        if (peer.Pods is { } pods)
        {
            return $"pods {Selector(pods.PodSelector)} in namespaces {Selector(pods.NamespaceSelector)}";
        }

        if (peer.Nodes is { } selected)
        {
            return $"nodes {Selector(selected)}";
        }

        return "networks " + string.Join(",", peer.Networks.Select(n => n.Network?.ToString() ?? n.Cidr));
    }
}
