using System.Globalization;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Turns a node's <see cref="NodePolicyPlan"/> into its <c>table ip maille-policy</c>. Pure. Layout (see
/// docs/networkpolicy-dataplane.md):
/// <list type="bullet">
/// <item><c>forward</c>, a filter chain on the forward hook at priority 0 (after prerouting's DNAT at -100, before
/// postrouting's masquerade at 100): established and related packets pass; a pod reaching itself through a Service
/// passes (<c>self</c>); the source pod's egress chain, then the destination pod's ingress chain, through the verdict
/// maps <c>egress-pods</c> and <c>ingress-pods</c> (pod IP : jump chain), which hold only isolated pods;</item>
/// <item>one chain per isolation group (<c>ingress-HASH</c>, <c>egress-HASH</c>): each compiled rule counts into its
/// policy rule's named counter and returns; the last rule denies;</item>
/// <item>interval sets <c>peers-HASH</c> of peer addresses and sets <c>ports-HASH</c> of (address, protocol, port)
/// for egress named ports, named by definition so that label changes only change elements.</item>
/// </list>
/// Traffic between a node and its own pods never crosses the forward hook (it is the node's input and output), so it
/// is always allowed without a rule.
/// </summary>
internal static class PolicyRulesetBuilder
{
    public const string Family = "ip";
    public const string Table = "maille-policy";

    public const string Forward = "forward";
    public const string IngressPods = "ingress-pods";
    public const string EgressPods = "egress-pods";
    public const string Self = "self";

    /// <summary>nftables refuses longer rule comments.</summary>
    public const int MaxCommentLength = 128;

    private static readonly EquatableArray<NftField> Source = new[] { NftField.SourceAddress };
    private static readonly EquatableArray<NftField> Destination = new[] { NftField.DestinationAddress };

    public static NftRuleset Build(NodePolicyPlan plan, PolicyDeniedAction denied = PolicyDeniedAction.Reject)
    {
        var sets = new List<NftSet>
        {
            new(Self, "type ipv4_addr . ipv4_addr", new(plan.Pods.Select(p => NftElement.Member(p.Address.ToString(), p.Address.ToString())))),
            new(IngressPods, "type ipv4_addr : verdict", PodMap(plan, p => p.IngressChain)),
            new(EgressPods, "type ipv4_addr : verdict", PodMap(plan, p => p.EgressChain)),
        };
        sets.AddRange(plan.PeerSets.Select(s => new NftSet(s.Name, "type ipv4_addr; flags interval", new(s.Members.Select(m => NftElement.Member(AddressRanges.Text(m)))))));
        sets.AddRange(plan.NamedPortSets.Select(s => new NftSet(s.Name, "type ipv4_addr . inet_proto . inet_service", new(s.Members.Select(Element)))));

        var chains = new List<NftChain> { ForwardChain() };
        chains.AddRange(plan.Chains.Select(c => PolicyChain(c, denied)));
        return new NftRuleset(Family, Table, new(sets), new(chains)) { Counters = new(plan.CountedRules.Select(r => r.CounterName)) };
    }

    private static NftChain ForwardChain() => new(Forward, new NftHook("filter", "forward", 0), new[]
    {
        NftRule.Of(new NftValueMatch(NftField.ConntrackState, "established,related"), Verdict(NftVerdict.Accept), "replies and related packets of allowed connections"),
        NftRule.Of(new NftSetMatch(new[] { NftField.SourceAddress, NftField.DestinationAddress }, Self), Verdict(NftVerdict.Accept), "a pod reaching itself through a Service"),
        NftRule.Of(new NftVerdictMapStatement(Source, EgressPods), "egress of the source pod, if isolated"),
        NftRule.Of(new NftVerdictMapStatement(Destination, IngressPods), "ingress of the destination pod, if isolated"),
    });

    /// <summary>Each compiled rule allows (counts and returns to <c>forward</c>); what none allows is denied.</summary>
    private static NftChain PolicyChain(PolicyChain chain, PolicyDeniedAction denied)
    {
        var rules = chain.Rules.Select(r => Rule(chain.Direction, r)).ToList();
        var deny = denied == PolicyDeniedAction.Reject ? (NftStatement)new NftRejectStatement(false, "admin-prohibited") : Verdict(NftVerdict.Drop);
        rules.Add(new NftRule(EquatableArray<NftMatch>.Empty, new NftStatement[] { new NftCounterStatement(), deny }, Comment($"no rule of {string.Join(", ", chain.Policies)} allows it")));
        return new NftChain(chain.Name, null, new(rules));
    }

    private static NftRule Rule(PolicyDirection direction, CompiledRule rule)
    {
        var matches = new List<NftMatch>();
        if (rule.PeerSet is { } peers)
        {
            matches.Add(new NftSetMatch(direction == PolicyDirection.Ingress ? Source : Destination, peers));
        }

        if (rule.Protocol is { } protocol)
        {
            matches.Add(new NftValueMatch(NftField.Protocol, ProtocolName(protocol)));
        }

        if (rule.Ports is { } ports)
        {
            matches.Add(new NftValueMatch(NftField.DestinationPort, ports.ToString()));
        }

        if (rule.NamedPortSet is { } named)
        {
            matches.Add(new NftSetMatch(NftFields.ServiceKey, named));
        }

        return new NftRule(new(matches), new NftStatement[] { new NftCounterStatement(rule.Rule.CounterName), Verdict(NftVerdict.Return) }, Comment(rule.Description));
    }

    private static EquatableArray<NftElement> PodMap(NodePolicyPlan plan, Func<LocalPodPolicy, string?> chain) =>
        new(plan.Pods.Where(p => chain(p) is not null).Select(p => new NftElement(p.Address.ToString(), Verdict: NftVerdict.Jump(chain(p)!))));

    private static NftElement Element(NamedPortTarget target) =>
        NftElement.Member(target.Address.ToString(), ProtocolName(target.Protocol), target.Port.ToString(CultureInfo.InvariantCulture));

    internal static string ProtocolName(Protocol protocol) => protocol.ToString().ToLowerInvariant();

    private static string Comment(string text) => text.Length <= MaxCommentLength ? text : text[..(MaxCommentLength - 3)] + "...";

    private static NftVerdictStatement Verdict(NftVerdict verdict) => new(verdict);
}
