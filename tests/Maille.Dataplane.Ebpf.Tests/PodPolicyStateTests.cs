using System.Net;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Kube;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Dataplane.Ebpf.Tests;

/// <summary>
/// The pod policy maps rendered from node plans (<see cref="PodPolicyState"/>), read back as the tc program reads them
/// (<see cref="PodPolicyMapReader"/>) and held to the plan's own reader, <see cref="NodePolicyJudge"/> (itself held to
/// the evaluator by the engine's differential tests): on the playground's pods (x, y, z × a, b, c on three nodes), for
/// random NetworkPolicy sets and random ClusterNetworkPolicy sets, every local pod × every pod, node and an outside
/// address × TCP, UDP and SCTP on ports 79 to 82 and 1000, both directions. No kernel.
/// </summary>
public sealed class PodPolicyStateTests
{
    private static readonly IPAddress Outside = IPAddress.Parse("203.0.113.9");
    private static readonly int[] PortsTried = [79, 80, 81, 82, 1000];
    private static readonly Protocol[] Protocols = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

    [Fact]
    public void RandomNetworkPolicySets_TheMapsDecideAsThePlan_AndCountTheSameRule()
    {
        var (allowed, denied) = (0, 0);
        for (var seed = 1; seed <= 40; seed++)
        {
            var (a, d) = Agree($"NetworkPolicy seed {seed}", Playground(RandomPolicies.Yaml(seed)));
            (allowed, denied) = (allowed + a, denied + d);
        }

        Assert.True(denied > (allowed + denied) / 5 && allowed > (allowed + denied) / 5, $"{allowed} allowed and {denied} denied cells");
    }

    [Fact]
    public void RandomClusterNetworkPolicySets_TheTiersDecideAsThePlan_AcceptDenyAndPass()
    {
        var (allowed, denied) = (0, 0);
        for (var seed = 1; seed <= 40; seed++)
        {
            var (a, d) = Agree($"ClusterNetworkPolicy seed {seed}", Playground(RandomClusterPolicies.Yaml(seed)));
            (allowed, denied) = (allowed + a, denied + d);
        }

        Assert.True(denied > (allowed + denied) / 10 && allowed > (allowed + denied) / 10, $"{allowed} allowed and {denied} denied cells");
    }

    [Fact]
    public void AnIpBlockWithExcept_LeavesItsHoleOutOfThePeerPrefixes()
    {
        var cluster = Playground(Policy("x", "cidr", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{ipBlock: {cidr: 198.19.0.0/16, except: [198.19.2.0/24]}}], ports: [{port: 80, endPort: 90}]}]"));
        var plan = NodePolicyPlanner.Plan(cluster, "node-1");
        var reader = new PodPolicyMapReader(PodPolicyState.Render(plan, PodPolicyMaps.Empty));
        var xa = Address(cluster, "x", "a");

        Assert.Equal((true, "ingress/x/cidr/0"), reader.Decide(PolicyDirection.Ingress, xa, IPAddress.Parse("198.19.3.200"), IpProtocols.Tcp, 85));
        Assert.False(reader.Decide(PolicyDirection.Ingress, xa, IPAddress.Parse("198.19.2.200"), IpProtocols.Tcp, 85).Allowed);
        Assert.False(reader.Decide(PolicyDirection.Ingress, xa, IPAddress.Parse("198.19.3.200"), IpProtocols.Tcp, 91).Allowed);
        Assert.False(reader.Decide(PolicyDirection.Ingress, xa, IPAddress.Parse("198.19.3.200"), IpProtocols.Udp, 85).Allowed);
        Assert.Equal((false, PodPolicyState.DenyCounter(plan.Pods.Single(p => p.Address.Equals(xa)).IngressChain!)),
            reader.Decide(PolicyDirection.Ingress, xa, IPAddress.Parse("198.19.2.200"), IpProtocols.Tcp, 85));
    }

    [Fact]
    public void PrefixesCoverARangeExactly_WithTheFewestBlocks()
    {
        Assert.Equal(
            ["198.19.0.0/23", "198.19.3.0/24", "198.19.4.0/22", "198.19.8.0/21", "198.19.16.0/20", "198.19.32.0/19", "198.19.64.0/18", "198.19.128.0/17"],
            PodPolicyLayout.Prefixes(new AddressRange(Number("198.19.0.0"), Number("198.19.1.255")))
                .Concat(PodPolicyLayout.Prefixes(new AddressRange(Number("198.19.3.0"), Number("198.19.255.255"))))
                .Select(p => $"{IpMath.FromUInt32(p.Address)}/{p.Length}"));
        Assert.Equal([(80, 12), (96, 16)], PodPolicyLayout.Prefixes(new PortRange(80, 96)).Select(p => ((int)p.Port, p.Length)));
        Assert.Equal([(0, 0)], PodPolicyLayout.Prefixes(ChainFold.AnyPort).Select(p => ((int)p.Port, p.Length)));
        Assert.Single(PodPolicyLayout.Prefixes(new AddressRange(0, uint.MaxValue)), p => p.Length == 0);
    }

    [Fact]
    public void TheFirstChangeIsFull_AndZeroesEveryCounterSlot_TheSamePlanAgainWritesNothing()
    {
        var plan = NodePolicyPlanner.Plan(Playground(RandomPolicies.Yaml(7)), "node-1");
        var state = new PodPolicyState();

        var first = state.Prepare(plan);
        state.Commit(first);
        var again = state.Prepare(plan);

        Assert.True(first.Full);
        Assert.All(first.Operations, o => Assert.False(o.IsDelete));
        Assert.Equal(first.Maps.Slots.Count, first.Operations.Count(o => o.Map == PodPolicyMap.Counters));
        Assert.Equal(plan.Pods.Count, first.Operations.Count(o => o.Map == PodPolicyMap.Pods));
        Assert.False(again.Full);
        Assert.Empty(again.Operations);
    }

    [Fact]
    public void AFullSyncRewritesEveryEntry_ButKeepsNumbersAndNeverZeroesACounterInUse()
    {
        var plan = NodePolicyPlanner.Plan(Playground(RandomPolicies.Yaml(7)), "node-1");
        var state = new PodPolicyState();
        var first = state.Prepare(plan);
        state.Commit(first);

        var full = state.Prepare(plan, full: true);

        Assert.True(full.Full);
        Assert.DoesNotContain(full.Operations, o => o.Map == PodPolicyMap.Counters);
        Assert.Equal(first.Operations.Where(o => o.Map != PodPolicyMap.Counters).Select(o => o.ToString()), full.Operations.Select(o => o.ToString()));
    }

    [Fact]
    public void ARelabelledPeer_ChangesOnlyPeerEntries_WrittenBeforeTheOldOnesAreDeleted()
    {
        const string Allow = "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: client}}}]}]";
        var before = Playground(Policy("x", "clients", Allow));
        var after = Playground(Policy("x", "clients", Allow), Fixtures.PlaygroundPods.Replace("name: b\n  namespace: y\n  labels:\n", "name: b\n  namespace: y\n  labels:\n    role: client\n", StringComparison.Ordinal));
        var state = new PodPolicyState();
        state.Commit(state.Prepare(NodePolicyPlanner.Plan(before, "node-1")));

        var change = state.Prepare(NodePolicyPlanner.Plan(after, "node-1"));
        var reader = new PodPolicyMapReader(change.Maps);

        Assert.NotEmpty(change.Operations);
        Assert.All(change.Operations, o => Assert.Equal(PodPolicyMap.Peers, o.Map));
        var lastWrite = change.Operations.ToList().FindLastIndex(o => !o.IsDelete);
        var firstDelete = change.Operations.ToList().FindIndex(o => o.IsDelete);
        Assert.True(firstDelete < 0 || lastWrite < firstDelete, string.Join("\n", change.Operations));
        Assert.Equal((true, "ingress/x/clients/0"), reader.Decide(PolicyDirection.Ingress, Address(after, "x", "a"), Address(after, "y", "b"), IpProtocols.Tcp, 80));
    }

    [Fact]
    public void APolicyChange_PointsPodsAtANewChain_AfterItsEntries_AndDeletesTheOldChainAfter()
    {
        var state = new PodPolicyState();
        state.Commit(state.Prepare(NodePolicyPlanner.Plan(Playground(Policy("x", "p", "podSelector: {}\ningress: [{ports: [{port: 80}]}]")), "node-1")));

        var change = state.Prepare(NodePolicyPlanner.Plan(Playground(Policy("x", "p", "podSelector: {}\ningress: [{ports: [{port: 81}]}]")), "node-1"));
        var order = change.Operations.Select(o => (o.Map, o.IsDelete)).ToList();

        Assert.True(order.IndexOf((PodPolicyMap.Chains, false)) < order.IndexOf((PodPolicyMap.Pods, false)));
        Assert.True(order.IndexOf((PodPolicyMap.Pods, false)) < order.IndexOf((PodPolicyMap.Chains, true)));
        Assert.True(order.IndexOf((PodPolicyMap.Pods, false)) < order.IndexOf((PodPolicyMap.Ports, true)));
        Assert.Contains(change.Operations, o => o.Map == PodPolicyMap.Counters);
    }

    [Fact]
    public void TheNodesAddressIsWritten_SoThatItIsNeverJudged()
    {
        var cluster = Playground("");
        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        var maps = PodPolicyState.Render(plan, PodPolicyMaps.Empty);

        Assert.Equal([Convert.ToHexString(plan.NodeAddress!.GetAddressBytes())], maps.Of(PodPolicyMap.Nodes).Keys);
        Assert.All(maps.Of(PodPolicyMap.Pods).Values, p => Assert.Equal(new byte[8], p.Value));
    }

    private static (int Allowed, int Denied) Agree(string what, ClusterState cluster)
    {
        var (allowed, denied) = (0, 0);
        var peers = cluster.Pods.Select(p => p.Status.PodIP).OfType<IPAddress>().Concat(cluster.Nodes.Select(n => n.InternalIP).OfType<IPAddress>()).Append(Outside).ToList();
        foreach (var node in cluster.Nodes)
        {
            var plan = NodePolicyPlanner.Plan(cluster, node.Name);
            var judge = new NodePolicyJudge(plan);
            var reader = new PodPolicyMapReader(PodPolicyState.Render(plan, PodPolicyMaps.Empty));
            foreach (var pod in plan.Pods)
            {
                foreach (var peer in peers)
                {
                    foreach (var direction in (PolicyDirection[])[PolicyDirection.Ingress, PolicyDirection.Egress])
                    {
                        foreach (var protocol in Protocols)
                        {
                            foreach (var port in PortsTried)
                            {
                                var expected = judge.Judge(direction, pod.Address, peer, port, protocol);
                                var (ok, counter) = reader.Decide(direction, pod.Address, peer, IpProtocols.Number(protocol), port);
                                var rule = expected.DecidedBy?.Rule.Key ?? expected.AllowedBy?.Rule.Key;
                                var context = $"{what}, node {node.Name}, {direction} of {pod.Pod} ({pod.Address}) with {peer} {protocol}/{port}: plan says {expected}, maps say {ok} by {counter}";
                                Assert.True(expected.Allowed == ok, context);
                                if (rule is not null)
                                {
                                    Assert.True(rule == counter, context);
                                }

                                (allowed, denied) = ok ? (allowed + 1, denied) : (allowed, denied + 1);
                            }
                        }
                    }
                }
            }
        }

        return (allowed, denied);
    }

    private static ClusterState Playground(string policies, string? pods = null)
    {
        var result = Cluster.Plan([new ManifestSource("pods.yaml", pods ?? Fixtures.PlaygroundPods), new ManifestSource("input.yaml", policies)]);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Cluster!;
    }

    private static string Policy(string ns, string name, string spec) =>
        $"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  {spec.Replace("\n", "\n  ", StringComparison.Ordinal)}\n---\n";

    private static IPAddress Address(ClusterState cluster, string ns, string pod) =>
        cluster.Pods.Single(p => p.Namespace == ns && p.Name == pod).Status.PodIP!;

    private static uint Number(string address) => IpMath.ToUInt32(IPAddress.Parse(address));
}
