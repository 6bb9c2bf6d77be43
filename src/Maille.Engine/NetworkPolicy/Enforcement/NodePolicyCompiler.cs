using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The work of one <see cref="NodePolicyPlanner.Plan(NetworkPolicyEvaluator, IEnumerable{Pod}, IEnumerable{Node}, string)"/>:
/// compiles each local pod's directions into chains, and every peer list and egress named port those chains need into
/// sets, each made once per distinct definition.
/// </summary>
internal sealed partial class NodePolicyCompiler(NetworkPolicyEvaluator evaluator, IReadOnlyList<Pod> pods, IReadOnlyList<Node> nodes)
{
    /// <summary>
    /// Every enforceable pod grouped by class: peers match a class or not (the class fixes the namespace, the labels and
    /// the membership in every ipBlock), so each peer is tested once per class, not once per pod.
    /// </summary>
    private readonly (PodClass Class, Pod[] Members)[] _classes =
        [.. pods.GroupBy(evaluator.ClassOf).Select(g => (g.Key, g.ToArray()))];

    /// <summary>Hex digits of SHA-256 in a generated name: 48 bits, so a clash needs millions of distinct sets.</summary>
    private const int NameHashLength = 12;

    private readonly Dictionary<string, PeerSet> _peerSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamedPortSet> _namedPortSets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyChain> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _definitionOfName = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Class, PolicyDirection Direction), string> _chainOfClass = [];
    private readonly Dictionary<string, TierChain> _tierChains = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Class, PolicyDirection Direction, ClusterPolicyTier Tier), string?> _tierChainOfClass = [];

    public IEnumerable<PolicyChain> Chains => _chains.Values;

    public IEnumerable<TierChain> TierChains => _tierChains.Values;

    public IEnumerable<PeerSet> PeerSets => _peerSets.Values;

    public IEnumerable<NamedPortSet> NamedPortSets => _namedPortSets.Values;

    public LocalPodPolicy Compile(Pod pod)
    {
        var podClass = evaluator.ClassOf(pod);
        return new LocalPodPolicy(
            pod.QualifiedName,
            NodePolicyPlanner.AddressOf(pod),
            EntryOf(podClass, PolicyDirection.Ingress, pod),
            EntryOf(podClass, PolicyDirection.Egress, pod));
    }

    /// <summary>
    /// The chain a packet of this direction enters first, in the evaluator's order: the Admin tier's chain, which goes on
    /// to the NetworkPolicy chain when NetworkPolicy isolates the pod, else to the Baseline tier's chain; a tier whose
    /// policies have no rule in this direction has no chain. Without ClusterNetworkPolicies this is the NetworkPolicy
    /// chain or nothing, as before they existed.
    /// </summary>
    private string? EntryOf(PodClass podClass, PolicyDirection direction, Pod pod)
    {
        var networkPolicies = direction == PolicyDirection.Ingress ? podClass.IngressPolicies : podClass.EgressPolicies;
        var next = networkPolicies.IsEmpty ? TierChainOf(podClass, ClusterPolicyTier.Baseline, direction, pod, null) : ChainOf(podClass, direction, pod);
        return TierChainOf(podClass, ClusterPolicyTier.Admin, direction, pod, next) ?? next;
    }

    /// <summary>
    /// Pods of one class get the same chain: the class fixes the isolating policies and the named ports an ingress
    /// rule resolves on the pod.
    /// </summary>
    private string ChainOf(PodClass podClass, PolicyDirection direction, Pod pod)
    {
        if (!_chainOfClass.TryGetValue((podClass.Id, direction), out var name))
        {
            name = ChainFor(direction, direction == PolicyDirection.Ingress ? podClass.IngressPolicies : podClass.EgressPolicies, pod);
            _chainOfClass.Add((podClass.Id, direction), name);
        }

        return name;
    }

    /// <summary>
    /// The chain for <paramref name="pod"/>'s <paramref name="direction"/>: every rule of every isolating policy, in
    /// policy name order, then rule order, then ports order (the order the evaluator reports the deciding rule in).
    /// </summary>
    private string ChainFor(PolicyDirection direction, IEnumerable<NetworkPolicy> policies, Pod pod)
    {
        var isolating = policies.ToList();
        var rules = new List<CompiledRule>();
        foreach (var policy in isolating)
        {
            var written = direction == PolicyDirection.Ingress ? policy.Ingress : policy.Egress;
            for (var index = 0; index < written.Count; index++)
            {
                rules.AddRange(CompileRule(new PolicyRuleId(policy.Namespace, policy.Meta.Name, direction, index), policy, written[index], pod));
            }
        }

        var content = new StringBuilder(direction.ToString()).Append('\n');
        content.AppendJoin(",", isolating.Select(p => p.QualifiedName)).Append('\n');
        content.AppendJoin("\n", rules.Select(r => r.Canonical));
        var name = Name(direction == PolicyDirection.Ingress ? "ingress" : "egress", content.ToString());
        _chains.TryAdd(name, new PolicyChain(name, direction, new(isolating.Select(p => p.QualifiedName)), new(rules)));
        return name;
    }

    /// <summary>
    /// One compiled rule per <c>ports</c> entry (one in all when there are none). Peers become a set of addresses;
    /// ports become a protocol and a range; a named port resolves on the destination: on the pod itself for ingress
    /// (an unknown name drops the entry: it matches nothing here), on each peer pod for egress (a set of
    /// destination, protocol and port that also stands for the peers).
    /// </summary>
    private IEnumerable<CompiledRule> CompileRule(PolicyRuleId id, NetworkPolicy policy, NetworkPolicyRule rule, Pod pod)
    {
        // Made on first use: an egress rule whose ports are all named needs no peer set (the named-port sets hold the peers).
        string? Peers() => rule.Peers.IsEmpty ? null : PeerSetFor(policy, rule.Peers);
        if (rule.Ports.IsEmpty)
        {
            yield return new CompiledRule { Rule = id, PeerSet = Peers() };
            yield break;
        }

        for (var index = 0; index < rule.Ports.Count; index++)
        {
            var entry = rule.Ports[index];
            var named = entry.Port is { IsNamed: true };
            var compiled = new CompiledRule { Rule = id, PortIndex = index, PeerSet = named && id.Direction == PolicyDirection.Egress ? null : Peers(), Protocol = entry.Protocol };
            if (entry.Port is not { } port)
            {
                yield return compiled;
            }
            else if (!port.IsNamed)
            {
                yield return compiled with { Ports = new PortRange(port.Number!.Value, entry.EndPort ?? port.Number.Value) };
            }
            else if (id.Direction == PolicyDirection.Ingress)
            {
                if (pod.Spec.FindPort(port.Name!, entry.Protocol) is { } declared)
                {
                    yield return compiled with { Ports = new PortRange(declared.Port, declared.Port) };
                }
            }
            else
            {
                yield return compiled with { Protocol = null, NamedPortSet = NamedPortSetFor(policy, rule.Peers, port.Name!, entry.Protocol) };
            }
        }
    }

    private string PeerSetFor(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers)
    {
        var definition = PeerDefinition(policy, peers);
        if (_peerSets.TryGetValue(definition, out var existing))
        {
            return existing.Name;
        }

        var members = new List<AddressRange>();
        foreach (var (podClass, classPods) in _classes)
        {
            if (AnySelectorMatches(policy, peers, podClass))
            {
                foreach (var pod in classPods)
                {
                    members.Add(AddressRanges.Single(NodePolicyPlanner.AddressOf(pod)));
                }
            }
        }

        foreach (var peer in peers)
        {
            if (peer.IpBlock is { } block)
            {
                members.AddRange(AddressRanges.Of(block));
            }
        }

        var set = new PeerSet(Name("peers", definition), definition, AddressRanges.Normalize(members));
        _peerSets.Add(definition, set);
        return set.Name;
    }

    private string NamedPortSetFor(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers, string portName, Protocol protocol)
    {
        var definition = $"{(peers.IsEmpty ? "any peer" : PeerDefinition(policy, peers))}; named port {portName}/{protocol}";
        if (_namedPortSets.TryGetValue(definition, out var existing))
        {
            return existing.Name;
        }

        var members = new List<NamedPortTarget>();
        foreach (var (podClass, classPods) in _classes)
        {
            // The class fixes the named ports too, and its ipBlock membership stands for every member's address.
            if ((peers.IsEmpty || AnyPeerMatches(policy, peers, podClass)) && podClass.Representative.Spec.FindPort(portName, protocol) is { } declared)
            {
                foreach (var pod in classPods)
                {
                    members.Add(new NamedPortTarget(NodePolicyPlanner.AddressOf(pod), protocol, declared.Port));
                }
            }
        }

        var set = new NamedPortSet(Name("ports", definition), definition, new(members.OrderBy(m => IpMath.ToUInt32(m.Address))));
        _namedPortSets.Add(definition, set);
        return set.Name;
    }

    /// <summary>Whether a selector peer (ipBlocks left out: they become ranges) matches the class.</summary>
    private static bool AnySelectorMatches(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers, PodClass podClass)
    {
        foreach (var peer in peers)
        {
            if (peer.IpBlock is null && NetworkPolicyEvaluator.PeerMatches(policy, peer, podClass, null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The evaluator's own peer test for a class, ipBlocks matched against its representative's address.</summary>
    private static bool AnyPeerMatches(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers, PodClass podClass)
    {
        foreach (var peer in peers)
        {
            if (NetworkPolicyEvaluator.PeerMatches(policy, peer, podClass, podClass.Representative.Status.PodIP))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The peers as written, normalised where meaning allows (CIDRs to their network), plus the policy's namespace
    /// when a pod selector without a namespace selector makes the peers depend on it.
    /// </summary>
    private static string PeerDefinition(NetworkPolicy policy, EquatableArray<NetworkPolicyPeer> peers)
    {
        var text = string.Join(" or ", peers.Select(Describe));
        return peers.Any(p => p.IpBlock is null && p.NamespaceSelector is null) ? $"{text} in namespace {policy.Namespace}" : text;
    }

    private static string Describe(NetworkPolicyPeer peer)
    {
        if (peer.IpBlock is { } block)
        {
            var except = string.Join(",", block.ExceptNetworks.Select(n => n.ToString()));
            return $"ipBlock {block.Network?.ToString() ?? block.Cidr}{(except.Length == 0 ? "" : $" except {except}")}";
        }

        return (peer.PodSelector, peer.NamespaceSelector) switch
        {
            ({ } pods, { } namespaces) => $"pods {Selector(pods)} in namespaces {Selector(namespaces)}",
            ({ } pods, null) => $"pods {Selector(pods)}",
            (null, { } namespaces) => $"namespaces {Selector(namespaces)}",
            _ => "nothing",
        };
    }

    private static string Selector(LabelSelector selector) => selector.IsEmpty ? "{}" : "{" + selector + "}";

    /// <summary>
    /// <c>PREFIX-HASH</c> from SHA-256 of the definition. Should two definitions ever share the short name, the later one
    /// takes the full hash, so names stay unique.
    /// </summary>
    private string Name(string prefix, string definition)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(definition)));
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{hash[..NameHashLength]}");
        if (_definitionOfName.TryGetValue(name, out var taken) && taken != definition)
        {
            name = $"{prefix}-{hash}";
        }

        _definitionOfName[name] = definition;
        return name;
    }
}
