using CsCheck;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using static Maille.Engine.Tests.NetworkPolicies.Playground;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// <see cref="ChainFold"/>: a chain's rules as disjoint (peer, protocol, port) boxes of the rules with ports, then
/// disjoint peer ranges of the rules without ports, each naming the first rule that matches it. Held against the
/// rules read one by one on random clusters, at every edge of every box and rule, and on
/// the playground (IP plan in <see cref="NodePolicyPlanTests"/>: x/a 198.19.1.2, y/a .3, z/a .4 on node-1; the b pods
/// 198.19.2.x, the c pods 198.19.3.x). Rerun a random failure with the environment variable CsCheck_Seed=SEED.
/// </summary>
public sealed class ChainFoldTests
{
    /// <summary>ICMP, TCP, UDP, SCTP, and the ends of the protocol numbers.</summary>
    private static readonly int[] Protocols = [0, 1, IpProtocols.Tcp, IpProtocols.Udp, IpProtocols.Sctp, IpProtocols.Last];

    [Fact]
    public void RandomClusters_TheBoxesAreDisjoint_AndEachPointIsDecidedByTheFirstRuleThatMatchesIt() =>
        PolicyWorldGen.World.Sample(AgreeOnEveryChain, iter: 1_000, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));

    [Fact]
    public void LargeRandomClusters_TheBoxesAreDisjoint_AndEachPointIsDecidedByTheFirstRuleThatMatchesIt() =>
        PolicyWorldGen.LargeWorld.Sample(AgreeOnEveryChain, iter: 5, seed: Environment.GetEnvironmentVariable("CsCheck_Seed"));

    private static void AgreeOnEveryChain(PolicyWorld world)
    {
        var evaluator = new NetworkPolicyEvaluator(world.Namespaces, world.Pods, world.Policies, world.Nodes);
        foreach (var node in world.Nodes)
        {
            var plan = NodePolicyPlanner.Plan(evaluator, world.Pods, world.Nodes, node.Name);
            foreach (var chain in plan.Chains)
            {
                AgreeWithTheRules(plan, chain, world.Endpoints.Select(e => IpMath.ToUInt32(e.Address!)));
            }
        }
    }

    [Fact]
    public void ARuleWithoutPorts_IsOneRangePerAddressRange_AndNoBox()
    {
        var (plan, chain) = OnlyChain(Policy("x", "from-b", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]"));

        Assert.Equal(["range 198.19.2.2-198.19.2.4 ingress/x/from-b/0"], Boxes(plan, chain));
    }

    [Fact]
    public void AnEarlierRuleKeepsWhereItOverlapsALaterOne_TheLaterOneTakesTheRest()
    {
        var (plan, chain) = OnlyChain(
            Policy("x", "a-y-on-80", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}]}]") +
            Policy("x", "b-from-b", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]"));

        Assert.Equal(
            [
                "box 198.19.1.3 tcp 80 ingress/x/a-y-on-80/0",      // y/a
                "box 198.19.2.3 tcp 80 ingress/x/a-y-on-80/0",      // y/b: in both; the first rule keeps TCP 80, looked up first
                "box 198.19.3.3 tcp 80 ingress/x/a-y-on-80/0",      // y/c
                "range 198.19.2.2-198.19.2.4 ingress/x/b-from-b/0", // the pods b, on everything else
            ],
            Boxes(plan, chain));
    }

    [Fact]
    public void ARuleWithPortsAfterOneWithout_HasNoBoxWhereTheEarlierRuleHoldsThePeer()
    {
        var (plan, chain) = OnlyChain(
            Policy("x", "a-from-b", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]") +
            Policy("x", "b-y-on-80", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {matchLabels: {ns: y}}}], ports: [{port: 80}]}]"));

        Assert.Equal(
            ["box 198.19.1.3 tcp 80 ingress/x/b-y-on-80/0", "box 198.19.3.3 tcp 80 ingress/x/b-y-on-80/0", "range 198.19.2.2-198.19.2.4 ingress/x/a-from-b/0"],
            Boxes(plan, chain));   // y/b counts for a-from-b on every port: it comes first
    }

    [Fact]
    public void AnEgressNamedPort_IsABoxPerDestinationOnTheNumberItDeclares_AndAnIpBlockHoleHasNoBox()
    {
        var (plan, chain) = OnlyChain(
            Policy("x", "to-z", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {matchLabels: {ns: z}}}], ports: [{port: serve-81-tcp}]}]") +
            Policy("x", "to-cidr", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{ipBlock: {cidr: 198.19.0.0/16, except: [198.19.2.0/24]}}], ports: [{protocol: UDP, port: 53}]}]"));

        Assert.Equal(
            ["box 198.19.0.0/23 udp 53 egress/x/to-cidr/0", "box 198.19.1.4 tcp 81 egress/x/to-z/0", "box 198.19.2.4 tcp 81 egress/x/to-z/0", "box 198.19.3.0-198.19.255.255 udp 53 egress/x/to-cidr/0", "box 198.19.3.4 tcp 81 egress/x/to-z/0"],
            Boxes(plan, chain));
    }

    private static (NodePolicyPlan Plan, PolicyChain Chain) OnlyChain(string policies)
    {
        var plan = NodePolicyPlanner.Plan(With(policies).Cluster, "node-1");
        var chain = Assert.Single(plan.Chains);
        AgreeWithTheRules(plan, chain, plan.PeerSets.SelectMany(s => s.Members).Select(m => m.First).Append(IpMath.ToUInt32(System.Net.IPAddress.Parse("203.0.113.5"))));
        return (plan, chain);
    }

    private static List<string> Boxes(NodePolicyPlan plan, PolicyChain chain)
    {
        var folded = Fold(plan, chain);
        return [.. folded.PortBoxes.Select(b => $"box {AddressRanges.Text(b.Peers)} {b.ProtocolText} {b.Ports} {b.Rule.Key}"),
            .. folded.PeerRanges.Select(r => $"range {AddressRanges.Text(r.Peers)} {r.Rule.Key}")];
    }

    private static FoldedChain Fold(NodePolicyPlan plan, PolicyChain chain) =>
        ChainFold.Fold(chain, plan.PeerSets.ToDictionary(s => s.Name, StringComparer.Ordinal), plan.NamedPortSets.ToDictionary(s => s.Name, StringComparer.Ordinal));

    /// <summary>
    /// No two boxes and no two ranges overlap (nftables would refuse them), and at every address given, every edge of a
    /// box or range (and beside it), every protocol of <see cref="Protocols"/> and every port at an edge of a rule or a
    /// box, the two lookups find the first rule that matches the point, and nothing where no rule matches.
    /// </summary>
    private static void AgreeWithTheRules(NodePolicyPlan plan, PolicyChain chain, IEnumerable<uint> addresses)
    {
        var folded = Fold(plan, chain);
        foreach (var list in new[] { folded.PortBoxes, folded.PeerRanges })
        {
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    Assert.False(
                        a.Peers.Overlaps(b.Peers) && a.FirstProtocol <= b.LastProtocol && b.FirstProtocol <= a.LastProtocol && a.Ports.First <= b.Ports.Last && b.Ports.First <= a.Ports.Last,
                        $"{chain.Name}: {a} and {b} overlap");
                }
            }
        }

        var boxes = folded.PortBoxes.Concat(folded.PeerRanges).ToList();

        var edges = boxes.SelectMany(b => new[] { b.Peers.First, b.Peers.Last, b.Peers.First - 1, b.Peers.Last + 1 });
        var ports = boxes.SelectMany(b => new[] { b.Ports.First, b.Ports.Last, b.Ports.First - 1, b.Ports.Last + 1 })
            .Concat(chain.Rules.SelectMany(r => r.Ports is { } p ? new[] { p.First, p.Last, p.First - 1, p.Last + 1 } : []))
            .Concat(plan.NamedPortSets.SelectMany(s => s.Members).SelectMany(m => new[] { m.Port - 1, m.Port, m.Port + 1 }))
            .Concat([0, 1, 80, ChainFold.MaxPort])
            .Where(p => p is >= 0 and <= ChainFold.MaxPort)
            .Distinct()
            .ToList();
        foreach (var address in addresses.Concat(edges).Distinct())
        {
            foreach (var protocol in Protocols)
            {
                foreach (var port in ports)
                {
                    var expected = chain.Rules.FirstOrDefault(r => Matches(plan, r, address, protocol, port))?.Rule;
                    var found = folded.Decide(address, protocol, port);
                    Assert.True(
                        expected == found,
                        $"{chain.Name} at {IpMath.FromUInt32(address)} protocol {protocol} port {port}: the rules say {expected?.ToString() ?? "nothing"}, the fold {found?.ToString() ?? "nothing"}");
                }
            }
        }
    }

    /// <summary>One compiled rule read as written, the peer being <paramref name="address"/> (the destination, for a named port).</summary>
    private static bool Matches(NodePolicyPlan plan, CompiledRule rule, uint address, int protocol, int port)
    {
        var ip = IpMath.FromUInt32(address);
        return (rule.PeerSet is not { } peers || plan.PeerSets.Single(s => s.Name == peers).Contains(ip))
            && (rule.Protocol is not { } wanted || IpProtocols.Number(wanted) == protocol)
            && (rule.Ports is not { } range || (range.First <= port && port <= range.Last))
            && (rule.NamedPortSet is not { } named || plan.NamedPortSets.Single(s => s.Name == named).Members.Any(m => m.Address.Equals(ip) && IpProtocols.Number(m.Protocol) == protocol && m.Port == port));
    }
}
