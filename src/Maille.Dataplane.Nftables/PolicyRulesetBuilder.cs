using System.Globalization;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Turns a node's <see cref="NodePolicyPlan"/> into its <c>table ip maille-policy</c>. Pure. Layout (see
/// docs/networkpolicy-dataplane.md):
/// <list type="bullet">
/// <item><c>forward</c>, a filter chain on the forward hook at priority 0 (after prerouting's DNAT at -100, before
/// postrouting's masquerade at 100): established and related packets pass; a pod reaching itself through a Service
/// passes (<c>self</c>); the source pod's egress chain, then the destination pod's ingress chain, through the verdict
/// maps <c>egress-pods</c> and <c>ingress-pods</c> (pod IP : jump chain), which hold only isolated pods;</item>
/// <item>one chain per isolation group (<c>ingress-HASH</c>, <c>egress-HASH</c>), in one of two shapes. A chain of at
/// most <c>foldAbove</c> compiled rules lists them: each counts into its policy rule's named counter and returns, using
/// the interval sets <c>peers-HASH</c> of peer addresses and the sets <c>ports-HASH</c> of (address, protocol, port)
/// for egress named ports. A longer chain is folded (<see cref="ChainFold"/>): one lookup of (peer address,
/// protocol, destination port) in the object map of the chain's own name for its rules with ports, then one of the
/// peer address in the map <c>NAME-any</c> for its rules without ports; their disjoint elements name the counter of
/// the first rule that allows each box, so a first packet meets at most three rules however many the policies have;</item>
/// <item>in both shapes what no rule allows meets the chain's last rule, which denies.</item>
/// </list>
/// Sets are named by definition and maps after their chains, which are named by content, so a relabelled or new pod
/// changes elements only, never a chain. Traffic between a node and its own pods never crosses the forward hook (it
/// is the node's input and output), so it is always allowed without a rule.
/// </summary>
public static class PolicyRulesetBuilder
{
    public const string Family = "ip";
    public const string Table = "maille-policy";

    public const string Forward = "forward";
    public const string IngressPods = "ingress-pods";
    public const string EgressPods = "egress-pods";
    public const string Self = "self";

    /// <summary>nftables refuses longer rule comments.</summary>
    public const int MaxCommentLength = 128;

    /// <summary>The type of a folded chain's map of rules with ports: peer address, protocol and destination port ranges to a counter.</summary>
    public const string PortMapDeclaration = "type ipv4_addr . inet_proto . inet_service : counter; flags interval";

    /// <summary>The type of a folded chain's map of rules without ports: peer address ranges to a counter.</summary>
    public const string PeerMapDeclaration = "type ipv4_addr : counter; flags interval";

    /// <summary>Appended to a folded chain's name, the name of its map of rules without ports.</summary>
    public const string PeerMapSuffix = "-any";

    private static readonly EquatableArray<NftField> Source = new[] { NftField.SourceAddress };
    private static readonly EquatableArray<NftField> Destination = new[] { NftField.DestinationAddress };

    /// <summary>What an ingress chain looks up: the source (the peer), protocol and port.</summary>
    private static readonly EquatableArray<NftField> IngressKey = new[] { NftField.SourceAddress, NftField.Protocol, NftField.DestinationPort };

    /// <summary>What an egress chain looks up: the destination (the peer), protocol and port.</summary>
    private static readonly EquatableArray<NftField> EgressKey = NftFields.ServiceKey;

    /// <summary>
    /// Chains of more compiled rules than this are folded into one lookup by default. Below it the rules are walked,
    /// which costs a first packet about 0.14 µs a rule on this machine (docs/benchmarks.md), while folding copies the
    /// chain's peers into its own map (sets are shared between chains).
    /// </summary>
    public const int DefaultFoldAbove = 32;

    /// <summary>
    /// The table for <paramref name="plan"/>. With a <paramref name="cache"/> (one per node, kept between builds) a
    /// folded map is folded again only when its chain or the members of its sets changed; the table is the same.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="logGroup"/> each chain's denying rule also logs the denied packet to that nfnetlink_log
    /// group (<see cref="PolicyDenialLog"/>), which <c>maille observe</c> reads; the verdict is the same.
    /// </remarks>
    public static NftRuleset Build(NodePolicyPlan plan, PolicyDeniedAction denied = PolicyDeniedAction.Reject, int foldAbove = DefaultFoldAbove, PolicyFoldCache? cache = null, int? logGroup = null)
    {
        var sets = new List<NftSet>
        {
            new(Self, "type ipv4_addr . ipv4_addr", new(plan.Pods.Select(p => NftElement.Member(p.Address.ToString(), p.Address.ToString())))),
            new(IngressPods, "type ipv4_addr : verdict", PodMap(plan, p => p.IngressChain)),
            new(EgressPods, "type ipv4_addr : verdict", PodMap(plan, p => p.EgressChain)),
        };

        var peerSets = plan.PeerSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var namedPortSets = plan.NamedPortSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var chains = new List<NftChain> { ForwardChain() };
        var listed = new List<PolicyChain>();
        foreach (var chain in plan.Chains)
        {
            if (chain.Rules.Count > foldAbove)
            {
                IReadOnlyList<NftSet> Fold() => FoldedMaps(chain, ChainFold.Fold(chain, peerSets, namedPortSets));
                sets.AddRange(cache is null ? Fold() : cache.Get(chain, peerSets, namedPortSets, Fold));
                chains.Add(FoldedChain(chain, denied, logGroup));
            }
            else
            {
                listed.Add(chain);
                chains.Add(ListedChain(chain, denied, logGroup));
            }
        }

        cache?.Retain(plan.Chains.Where(c => c.Rules.Count > foldAbove).Select(c => c.Name));
        // Baseline before Admin: a chain is written after every chain it goes to, as in one nft script it must be.
        chains.AddRange(plan.TierChains.OrderBy(c => c.Tier == ClusterPolicyTier.Baseline ? 0 : 1).Select(c => TierChain(c, denied, logGroup)));

        // Only the sets a listed or tier chain names: a folded chain holds its peers in its own map.
        var used = listed.SelectMany(c => c.Rules).SelectMany(r => new[] { r.PeerSet, r.NamedPortSet })
            .Concat(plan.TierChains.SelectMany(c => c.Rules).SelectMany(r => new[] { r.PeerSet, r.NamedPortSet }))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        sets.AddRange(plan.PeerSets.Where(s => used.Contains(s.Name)).Select(s => new NftSet(s.Name, "type ipv4_addr; flags interval", new(s.Members.Select(m => NftElement.Member(AddressRanges.Text(m)))))));
        sets.AddRange(plan.NamedPortSets.Where(s => used.Contains(s.Name)).Select(s => new NftSet(s.Name, "type ipv4_addr . inet_proto . inet_service", new(s.Members.Select(Element)))));
        return new NftRuleset(Family, Table, new(sets), new(chains)) { Counters = new(plan.CountedRules.Select(r => r.CounterName).Concat(plan.CountedClusterRules.Select(PolicyCounterNames.Of)).Order(StringComparer.Ordinal)) };
    }

    private static NftChain ForwardChain() => new(Forward, new NftHook("filter", "forward", 0), new[]
    {
        NftRule.Of(new NftValueMatch(NftField.ConntrackState, "established,related"), Verdict(NftVerdict.Accept), "replies and related packets of allowed connections"),
        NftRule.Of(new NftSetMatch(new[] { NftField.SourceAddress, NftField.DestinationAddress }, Self), Verdict(NftVerdict.Accept), "a pod reaching itself through a Service"),
        NftRule.Of(new NftVerdictMapStatement(Source, EgressPods), "egress of the source pod, if isolated"),
        NftRule.Of(new NftVerdictMapStatement(Destination, IngressPods), "ingress of the destination pod, if isolated"),
    });

    /// <summary>
    /// A ClusterNetworkPolicy tier, listed (never folded): each compiled rule counts into its rule's counter, then
    /// Accept returns to <c>forward</c> (this direction is allowed; the other is still to be decided there), Deny denies
    /// as a NetworkPolicy chain's end does, and Pass goes (<c>goto</c>, so that a <c>return</c> there lands in
    /// <c>forward</c>) to the next chain. The last rule goes there too, or returns when there is none: the default allows.
    /// With <paramref name="logGroup"/>, a Deny rule logs the first packet it denies for <c>maille observe</c>, its prefix
    /// naming the rule (<see cref="PolicyDenialLog.Prefix(ClusterRuleId)"/>). A comment is a quoted string in nft's
    /// syntax, so the rule's name is quoted with apostrophes there.
    /// </summary>
    private static NftChain TierChain(TierChain chain, PolicyDeniedAction denied, int? logGroup)
    {
        var onward = chain.Next is { } next ? NftVerdict.Goto(next) : NftVerdict.Return;
        var rules = new List<NftRule>(chain.Rules.Count + 1);
        foreach (var rule in chain.Rules)
        {
            var verdict = rule.Action switch
            {
                ClusterPolicyAction.Accept => Verdict(NftVerdict.Return),
                ClusterPolicyAction.Deny => DenyStatement(denied),
                _ => Verdict(onward),
            };
            NftStatement[] statements = rule.Action == ClusterPolicyAction.Deny && logGroup is { } group
                ? [new NftCounterStatement(PolicyCounterNames.Of(rule.Rule)), new NftLogStatement(PolicyDenialLog.Prefix(rule.Rule), group), verdict]
                : [new NftCounterStatement(PolicyCounterNames.Of(rule.Rule)), verdict];
            rules.Add(new NftRule(new(Matches(chain.Direction, rule.PeerSet, rule.Protocol, rule.Ports, rule.NamedPortSet)), statements, Comment(rule.Description.Replace('"', '\''))));
        }

        var tier = chain.Tier == ClusterPolicyTier.Admin ? "Admin" : "Baseline";
        var after = chain.Next is null ? "allowed by default"
            : chain.Next.StartsWith("baseline-", StringComparison.Ordinal) ? "on to the Baseline tier"
            : "on to NetworkPolicy";
        rules.Add(NftRule.Of(Verdict(onward), Comment($"no rule of the {tier} tier ({string.Join(", ", chain.Policies)}) decides: {after}")));
        return new NftChain(chain.Name, null, new(rules));
    }

    /// <summary>Each compiled rule allows (counts and returns to <c>forward</c>); what none allows is denied.</summary>
    private static NftChain ListedChain(PolicyChain chain, PolicyDeniedAction denied, int? logGroup)
    {
        var rules = chain.Rules.Select(r => Rule(chain.Direction, r)).ToList();
        rules.Add(Deny(chain, denied, logGroup));
        return new NftChain(chain.Name, null, new(rules));
    }

    /// <summary>
    /// Up to three rules: the rules with ports as one lookup in the map of the chain's name, then the rules without ports
    /// as one lookup in its <c>-any</c> map (each gives the rule that allows the packet, which counts it and returns);
    /// what neither holds is denied. A map exists when the chain has rules of its kind, whatever the pods.
    /// </summary>
    private static NftChain FoldedChain(PolicyChain chain, PolicyDeniedAction denied, int? logGroup)
    {
        var policies = string.Join(", ", chain.Policies);
        var ingress = chain.Direction == PolicyDirection.Ingress;
        var rules = new List<NftRule>();
        if (chain.Rules.Any(HasPorts))
        {
            rules.Add(new NftRule(EquatableArray<NftMatch>.Empty, new NftStatement[] { new NftCounterMapStatement(ingress ? IngressKey : EgressKey, chain.Name), Verdict(NftVerdict.Return) },
                Comment($"rules with ports of {policies}: the first that allows it counts it")));
        }

        if (!chain.Rules.All(HasPorts))
        {
            rules.Add(new NftRule(EquatableArray<NftMatch>.Empty, new NftStatement[] { new NftCounterMapStatement(ingress ? Source : Destination, chain.Name + PeerMapSuffix), Verdict(NftVerdict.Return) },
                Comment($"rules without ports of {policies}: the first that allows the peer counts it")));
        }

        rules.Add(Deny(chain, denied, logGroup));
        return new NftChain(chain.Name, null, new(rules));
    }

    /// <summary>The maps of a folded chain, as <see cref="FoldedChain(PolicyChain, PolicyDeniedAction, int?)"/> looks them up.</summary>
    private static List<NftSet> FoldedMaps(PolicyChain chain, FoldedChain folded)
    {
        var maps = new List<NftSet>(2);
        if (chain.Rules.Any(HasPorts))
        {
            maps.Add(new NftSet(chain.Name, PortMapDeclaration, new(folded.PortBoxes.Select(Element))));
        }

        if (!chain.Rules.All(HasPorts))
        {
            maps.Add(new NftSet(chain.Name + PeerMapSuffix, PeerMapDeclaration, new(folded.PeerRanges.Select(r => new NftElement(AddressRanges.Text(r.Peers), Data: Quoted(r.Rule))))));
        }

        return maps;
    }

    /// <summary>A rule with a protocol or a named port; the others match every protocol and port.</summary>
    private static bool HasPorts(CompiledRule rule) => rule.Protocol is not null || rule.NamedPortSet is not null;

    /// <summary>Counts (the chain's denials, not any policy rule's) and, with <paramref name="logGroup"/>, logs before it denies.</summary>
    private static NftRule Deny(PolicyChain chain, PolicyDeniedAction denied, int? logGroup)
    {
        var deny = DenyStatement(denied);
        NftStatement[] statements = logGroup is { } group
            ? [new NftCounterStatement(), new NftLogStatement(PolicyDenialLog.Prefix(chain.Name), group), deny]
            : [new NftCounterStatement(), deny];
        return new NftRule(EquatableArray<NftMatch>.Empty, statements, Comment($"no rule of {string.Join(", ", chain.Policies)} allows it"));
    }

    private static NftStatement DenyStatement(PolicyDeniedAction denied) =>
        denied == PolicyDeniedAction.Reject ? new NftRejectStatement(false, "admin-prohibited") : Verdict(NftVerdict.Drop);

    private static NftRule Rule(PolicyDirection direction, CompiledRule rule) =>
        new(new(Matches(direction, rule.PeerSet, rule.Protocol, rule.Ports, rule.NamedPortSet)), new NftStatement[] { new NftCounterStatement(rule.Rule.CounterName), Verdict(NftVerdict.Return) }, Comment(rule.Description));

    /// <summary>The matches of a compiled rule of either kind: peers, protocol, port range, egress named port.</summary>
    private static List<NftMatch> Matches(PolicyDirection direction, string? peerSet, Protocol? protocol, PortRange? portRange, string? namedPortSet)
    {
        var matches = new List<NftMatch>();
        if (peerSet is { } peers)
        {
            matches.Add(new NftSetMatch(direction == PolicyDirection.Ingress ? Source : Destination, peers));
        }

        if (protocol is { } name)
        {
            matches.Add(new NftValueMatch(NftField.Protocol, ProtocolName(name)));
        }

        if (portRange is { } ports)
        {
            matches.Add(new NftValueMatch(NftField.DestinationPort, ports.ToString()));
        }

        if (namedPortSet is { } named)
        {
            matches.Add(new NftSetMatch(NftFields.ServiceKey, named));
        }

        return matches;
    }

    private static NftElement Element(NamedPortTarget target) =>
        NftElement.Member(target.Address.ToString(), ProtocolName(target.Protocol), target.Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>A folded box as a map element: <c>198.19.1.0/24 . tcp . 80 : "ingress/x/allow/0"</c>.</summary>
    private static NftElement Element(FoldedElement box) =>
        new(string.Join(NftElement.Separator, AddressRanges.Text(box.Peers), box.ProtocolText, box.Ports.ToString()), Data: Quoted(box.Rule));

    /// <summary>An object map's data: the quoted name of the rule's counter.</summary>
    private static string Quoted(PolicyRuleId rule) => $"\"{rule.CounterName}\"";

    private static EquatableArray<NftElement> PodMap(NodePolicyPlan plan, Func<LocalPodPolicy, string?> chain) =>
        new(plan.Pods.Where(p => chain(p) is not null).Select(p => new NftElement(p.Address.ToString(), Verdict: NftVerdict.Jump(chain(p)!))));

    internal static string ProtocolName(Protocol protocol) => protocol.ToString().ToLowerInvariant();

    private static string Comment(string text) => text.Length <= MaxCommentLength ? text : text[..(MaxCommentLength - 3)] + "...";

    private static NftVerdictStatement Verdict(NftVerdict verdict) => new(verdict);
}
