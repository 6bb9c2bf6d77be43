using System.Globalization;
using Maille.Engine.ServiceProxy;
using static Maille.Dataplane.Nftables.Tests.NetworkPolicies.TracedCluster;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

// IP plan (examples/netpol-playground with the default ClusterConfig): node-N 198.18.0.(10+N), pod CIDR 198.19.N.0/24;
// pods a on node-1 (x/a 198.19.1.2, y/a .3, z/a .4), b on node-2 (198.19.2.x), c on node-3 (198.19.3.x).
// Each test renders every node's policy table and follows packets with the tracer through the forward hook of each
// node on the path; the names are those of the reference rules (/work/shared/reference/networkpolicy.md, (a)). Rule 21
// (established connections across a change) needs a kernel: NodePolicyEnforcerTests.AnEstablishedConnectionOutlivesADeny_….
// Every test runs twice: with every policy chain listing its rules (ListedChainsTracerRuleTests) and with every chain
// folded into one map lookup (FoldedChainsTracerRuleTests).
public abstract class PolicyTracerRuleTests(int foldAbove)
{
    private const string DenyAllIngress = "podSelector: {}\npolicyTypes: [Ingress]";

    /// <summary>The playground with <paramref name="policies"/>, its chains in this class's shape.</summary>
    private TracedCluster Playground(string policies, string? pods = null) => TracedCluster.Playground(policies, pods, foldAbove);

    [Fact]
    public void Rule01_APolicySelectsOnlyPodsOfItsNamespace()
    {
        var lab = Playground(Policy("y", "deny-all", DenyAllIngress));

        Assert.True(lab.Allowed("z/a", "x/a"));
        Assert.DoesNotContain(lab.Trace("z/a", "x/a").SelectMany(h => h.Result.Steps), s => s.Chain != PolicyRulesetBuilder.Forward);
        Assert.StartsWith("node-1 ingress-", lab.DeniedBy("z/a", "y/a"), StringComparison.Ordinal);
        Assert.EndsWith("comment \"no rule of y/deny-all allows it\"", lab.DeniedBy("z/a", "y/a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rule02_IsolationIsPerDirection()
    {
        var lab = Playground(Policy("x", "deny-egress-a", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]"));

        Assert.True(lab.Allowed("y/b", "x/a"));
        Assert.StartsWith("node-1 egress-", lab.DeniedBy("x/a", "y/b"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rule03_OmittedPolicyTypesAddEgressOnlyWhenEgressRulesAreWritten()
    {
        var withEgress = Playground(Policy("x", "p", "podSelector: {}\negress: [{}]"));
        var emptyEgress = Playground(Policy("x", "p", "podSelector: {}\negress: []"));

        Assert.False(withEgress.Allowed("y/a", "x/a"));
        Assert.Equal(["egress/x/p/0"], withEgress.AllowedBy("x/a", "y/b"));
        Assert.False(emptyEgress.Allowed("y/a", "x/a"));
        Assert.True(emptyEgress.Allowed("x/a", "y/b"));
        Assert.Empty(emptyEgress.AllowedBy("x/a", "y/b"));
    }

    [Fact]
    public void Rule04_RulesOfADirectionNotInPolicyTypesAreNotCompiled()
    {
        var lab = Playground(Policy("x", "egress-only", "podSelector: {}\npolicyTypes: [Egress]\ningress: [{}]"));

        Assert.True(lab.Allowed("y/a", "x/a"));
        Assert.DoesNotContain(lab.Rulesets["node-1"].Chains, c => c.Name.StartsWith("ingress-", StringComparison.Ordinal));
        Assert.DoesNotContain("ingress/x/egress-only/0", lab.Rulesets["node-1"].Counters);
    }

    [Fact]
    public void Rule05_PoliciesAddUp()
    {
        var only80 = Policy("x", "allow-80", "podSelector: {}\ningress: [{ports: [{port: 80}]}]");
        var all = Policy("x", "allow-all", "podSelector: {}\ningress: [{}]");

        Assert.False(Playground(only80).Allowed("y/a", "x/a", "81/TCP"));
        Assert.Equal(["ingress/x/allow-all/0"], Playground(only80 + all).AllowedBy("y/a", "x/a", "81/TCP"));
        Assert.Equal(["ingress/x/allow-80/0"], Playground(only80 + all).AllowedBy("y/a", "x/a", "80/TCP"));
    }

    [Fact]
    public void Rule06_TheSourceEgressAndTheDestinationIngressMustBothAllow()
    {
        var lab = Playground(
            Policy("x", "a-to-y-a", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress:\n- to: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]") +
            Policy("y", "b-from-x-a", "podSelector: {matchLabels: {pod: b}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]"));

        Assert.Equal(["egress/x/a-to-y-a/0"], lab.AllowedBy("x/a", "y/a"));
        Assert.StartsWith("node-1 egress-", lab.DeniedBy("x/a", "y/b"), StringComparison.Ordinal);
        var tableOfYb = new NftPacketTracer(lab.Rulesets["node-2"]).TraceFilter("forward", new(lab.Endpoint("x/a").Address!, lab.Endpoint("y/b").Address!, "tcp", 80, NftIngress.Underlay));
        Assert.Equal(NftTraceVerdict.NotTranslated, tableOfYb.Verdict);   // y/b's own node would have let it in
    }

    [Fact]
    public void Rule07_NoRulesDenyAll_AnEmptyRuleAllowsAll()
    {
        var denyAll = Playground(Policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]"));
        var allowAll = Playground(Policy("x", "allow-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]\ningress: [{}]\negress: [{}]"));

        Assert.False(denyAll.Allowed("x/a", "x/b"));
        Assert.False(denyAll.Allowed("203.0.113.5", "x/b"));
        Assert.True(allowAll.Allowed("203.0.113.5", "x/b", "81/UDP"));
        Assert.Equal(["egress/x/allow-all/0", "ingress/x/allow-all/0"], allowAll.AllowedBy("x/a", "x/b", "81/UDP"));
    }

    [Fact]
    public void Rule08_PeersAndPortsOfARuleMustBothMatch()
    {
        var lab = Playground(Policy("x", "y-on-80", "podSelector: {}\ningress:\n- from: [{namespaceSelector: {matchLabels: {ns: y}}}]\n  ports: [{port: 80}, {port: 81, protocol: UDP}]"));

        Assert.True(lab.Allowed("y/a", "x/b", "80/TCP"));
        Assert.True(lab.Allowed("y/a", "x/b", "81/UDP"));
        Assert.False(lab.Allowed("y/a", "x/b", "81/TCP"));
        Assert.False(lab.Allowed("z/a", "x/b", "80/TCP"));
    }

    [Fact]
    public void Rule09_OnePeerWithBothSelectorsIsAnAnd_TwoPeersAreAnOr()
    {
        var and = Playground(Policy("x", "and", "podSelector: {matchLabels: {pod: a}}\ningress:\n- from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}, podSelector: {matchLabels: {pod: b}}}]"));
        var or = Playground(Policy("x", "or", "podSelector: {matchLabels: {pod: a}}\ningress:\n- from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}}, {podSelector: {matchLabels: {pod: b}}}]"));

        Assert.Equal(["y/b", "z/b"], Sources(and, "x/a"));
        Assert.Equal(["x/b", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"], Sources(or, "x/a"));
    }

    [Fact]
    public void Rule10_AnEmptyNamespaceSelectorMeansEveryPodButNoExternalAddress()
    {
        var anyPod = Playground(Policy("x", "any-pod", "podSelector: {}\ningress: [{from: [{namespaceSelector: {}}]}]"));
        var anyone = Playground(Policy("x", "anyone", "podSelector: {}\ningress: [{}]"));

        Assert.True(anyPod.Allowed("z/c", "x/a"));
        Assert.False(anyPod.Allowed("203.0.113.5", "x/a"));
        Assert.True(anyone.Allowed("203.0.113.5", "x/a"));
    }

    [Fact]
    public void Rule11_NotInMatchesNamespacesWithoutTheKey_ViaTheMetadataNameLabel()
    {
        var lab = Playground(Policy("x", "not-y", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]}}]}]"));

        Assert.True(lab.Allowed("x/a", "z/b"));
        Assert.True(lab.Allowed("x/a", "x/c"));
        Assert.False(lab.Allowed("x/a", "y/b"));
    }

    [Fact]
    public void Rule12_IpBlockExceptOnlyNarrowsItsPeer_AndHostBitsMeanTheNetwork()
    {
        var lab = Playground(Policy("x", "cidr", "podSelector: {matchLabels: {pod: a}}\ningress:\n- from: [{ipBlock: {cidr: 198.19.2.77/16, except: [198.19.2.0/24]}}]\n- from: [{podSelector: {matchLabels: {pod: b}}}]"));

        Assert.True(lab.Allowed("y/a", "x/a"));        // 198.19.1.3: inside the /16
        Assert.False(lab.Allowed("y/b", "x/a"));       // 198.19.2.3: in the hole, and not pod b of x
        Assert.Equal(["ingress/x/cidr/1"], lab.AllowedBy("x/b", "x/a"));   // in the hole, but the other rule allows it
        Assert.False(lab.Allowed("198.18.0.12", "x/a"));
    }

    [Fact]
    public void Rule13_IpBlocksMatchPodAddresses()
    {
        var lab = Playground(Policy("x", "one-pod", "podSelector: {matchLabels: {pod: a}}\ningress: [{from: [{ipBlock: {cidr: 198.19.3.3/32}}]}]"));

        Assert.Equal(["y/c"], Sources(lab, "x/a"));
    }

    [Fact]
    public void Rule14_PolicyJudgesThePodPortAfterServiceDnat()
    {
        var lab = Playground(Service + Policy("x", "only-81", "podSelector: {matchLabels: {pod: a}}\ningress: [{ports: [{port: 81}]}]"));

        Assert.Equal([("198.19.1.2:81", true)], ThroughService(lab, "y/b", "x/to-a", 80));
        Assert.Equal([("198.19.1.2:80", false)], ThroughService(lab, "y/b", "x/to-a", 8080));
    }

    [Fact]
    public void Rule15_PortAndProtocolMustBothMatch()
    {
        var lab = Playground(Policy("x", "sctp-81", "podSelector: {}\ningress: [{ports: [{port: 81, protocol: SCTP}]}]"));

        Assert.True(lab.Allowed("y/a", "x/b", "81/SCTP"));
        Assert.False(lab.Allowed("y/a", "x/b", "81/TCP"));
        Assert.False(lab.Allowed("y/a", "x/b", "81/UDP"));
    }

    [Fact]
    public void Rule16_AnEgressNamedPortResolvesOnEachDestination_NameAndProtocolMustMatch()
    {
        var lab = Playground(Policy("x", "to-serve-80", "podSelector: {matchLabels: {pod: a}}\npolicyTypes: [Egress]\negress: [{ports: [{port: serve-80-tcp}, {port: serve-81-tcp, protocol: UDP}]}]"));

        Assert.Equal(["egress/x/to-serve-80/0"], lab.AllowedBy("x/a", "y/a", "80/TCP"));
        Assert.False(lab.Allowed("x/a", "y/a", "81/TCP"));
        Assert.False(lab.Allowed("x/a", "y/a", "81/UDP"));
        Assert.False(lab.Allowed("x/a", "203.0.113.5", "80/TCP"));
    }

    [Fact]
    public void Rule17_EndPortIsAnInclusiveRange()
    {
        var lab = Playground(Policy("x", "range", "podSelector: {}\ningress: [{ports: [{port: 79, endPort: 80, protocol: UDP}]}]"));

        Assert.True(lab.Allowed("y/a", "x/b", "80/UDP"));
        Assert.False(lab.Allowed("y/a", "x/b", "81/UDP"));
        if (foldAbove == 0)
        {
            Assert.Contains(lab.Rulesets["node-2"].Sets.SelectMany(s => s.Elements), e => e.Text == "0.0.0.0/0 . udp . 79-80 : \"ingress/x/range/0\"");
        }
        else
        {
            Assert.Contains(lab.Rulesets["node-2"].Chains.SelectMany(c => c.Rules), r => r.Text.Contains("th dport 79-80", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Rule18_RepliesOfAllowedConnectionsPassBeforeAnyPolicy()
    {
        var lab = Playground(Policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]"));

        var reply = lab.Trace("y/a", "x/a", "40000/TCP", state: "established");
        Assert.True(Passes(reply));
        Assert.Equal("forward#1: ct state established,related accept comment \"replies and related packets of allowed connections\"", reply.Single().Result.Steps[0].ToString());
        Assert.True(Passes(lab.Trace("y/a", "x/a", "80/UDP", state: "related")));
        Assert.False(lab.Allowed("y/a", "x/a"));
    }

    [Fact]
    public void Rule19_TheOwnNodeNeverCrossesTheForwardHook_OtherNodesAreExternal()
    {
        var lab = Playground(Policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]"));

        Assert.Empty(lab.Trace("198.18.0.11", "x/a"));
        Assert.Empty(lab.Trace("x/a", "198.18.0.11"));
        Assert.False(lab.Allowed("198.18.0.12", "x/a"));
        Assert.False(lab.Allowed("x/a", "198.18.0.12"));
    }

    [Fact]
    public void Rule20_APodReachingItselfThroughItsServicePassesAsAHairpin()
    {
        var lab = Playground(Service + Policy("x", "deny-all", "podSelector: {}\npolicyTypes: [Ingress, Egress]"));

        Assert.Equal([("198.19.1.2:80", true)], ThroughService(lab, "x/a", "x/to-a", 8080));
        Assert.Equal(
            "forward#2: ip saddr . ip daddr @self accept comment \"a pod reaching itself through a Service\"",
            lab.Trace("x/a", "x/a").Single().Result.Steps.Single().ToString());
    }

    [Fact]
    public void Rule22_ARelabelledPodChangesTheDecision()
    {
        var policy = Policy("x", "from-b", "podSelector: {}\ningress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]}]");
        var relabelled = PlaygroundPods.Replace("  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal);

        Assert.False(Playground(policy).Allowed("y/c", "x/a"));
        Assert.True(Playground(policy, relabelled).Allowed("y/c", "x/a"));
    }

    [Fact]
    public void Rule23_OtherProtocolsPassOnlyRulesWithoutPorts()
    {
        var withPorts = Playground(Policy("x", "tcp-80", "podSelector: {}\ningress: [{ports: [{port: 80}]}]"));
        var withoutPorts = Playground(Policy("x", "any", "podSelector: {}\ningress: [{}]"));

        Assert.False(TracedCluster.Passes(IcmpTrace(withPorts)));
        Assert.True(TracedCluster.Passes(IcmpTrace(withoutPorts)));
    }

    [Fact]
    public void Rule24_EgressIsolationBlocksDnsUnlessAllowed()
    {
        var dns = "apiVersion: v1\nkind: Pod\nmetadata: {name: dns, namespace: kube-system, labels: {k8s-app: kube-dns}}\nspec:\n  nodeName: node-2\n  containers: [{name: dns, image: dns, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]}]\n---\n";
        var denyEgress = Policy("x", "deny-egress", "podSelector: {}\npolicyTypes: [Egress]");
        var allowDns = Policy("x", "allow-dns", "podSelector: {}\npolicyTypes: [Egress]\negress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: dns, protocol: UDP}, {port: dns-tcp}]}]");

        Assert.False(Playground(dns + denyEgress).Allowed("x/a", "kube-system/dns", "53/UDP"));
        Assert.Equal(["egress/x/allow-dns/0"], Playground(dns + denyEgress + allowDns).AllowedBy("x/a", "kube-system/dns", "53/UDP"));
        Assert.True(Playground(dns + denyEgress + allowDns).Allowed("x/a", "kube-system/dns", "53/TCP"));
        Assert.False(Playground(dns + denyEgress + allowDns).Allowed("x/a", "kube-system/dns", "54/UDP"));
    }

    [Fact]
    public void Rule25_TheTracedRulesAgreeWithTheConnectionSetAtEveryRangeBoundary()
    {
        var lab = Playground(Policy("x", "mixed", "podSelector: {matchLabels: {pod: a}}\ningress: [{ports: [{port: 1000, endPort: 2000}, {port: serve-81-tcp}, {protocol: UDP}]}]"));
        var set = lab.Evaluator.AllowedConnections(lab.Endpoint("y/b"), lab.Endpoint("x/a"));

        Assert.Equal("TCP 81,1000-2000; UDP 1-65535", set.ToString());
        foreach (var port in new[] { 1, 80, 81, 82, 999, 1000, 2000, 2001, 65535 })
        {
            foreach (var protocol in new[] { "TCP", "UDP", "SCTP" })
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"{port}/{protocol}");
                Assert.True(lab.Allowed("y/b", "x/a", text) == set.Contains(port, Enum.Parse<Model.Protocol>(protocol)), text);
            }
        }
    }

    /// <summary>x/to-a: a ClusterIP Service for x/a, port 80 → serve-81-tcp and port 8080 → 80.</summary>
    private const string Service = "apiVersion: v1\nkind: Service\nmetadata: {name: to-a, namespace: x}\nspec:\n  selector: {pod: a}\n  ports: [{name: p80, port: 80, targetPort: serve-81-tcp}, {name: p8080, port: 8080, targetPort: 80}]\n---\n";

    private static IReadOnlyList<string> Sources(TracedCluster lab, string to) =>
        [.. lab.Cluster.Pods.Select(p => p.QualifiedName).Where(p => p != to && lab.Allowed(p, to))];

    /// <summary>
    /// From a pod to a Service's ClusterIP: the source node's Service table (prerouting DNAT) picks the endpoints, then
    /// the policy tables judge the translated connection. Each endpoint as <c>IP:PORT</c> and whether policy allows it.
    /// </summary>
    private static IReadOnlyList<(string Endpoint, bool Allowed)> ThroughService(TracedCluster lab, string from, string service, int port)
    {
        var source = lab.Cluster.PodsByName[from];
        var node = source.Spec.NodeName!;
        var services = new NftPacketTracer(ServiceRulesetBuilder.Build(ServiceProxyPlanner.Plan(lab.Cluster, node)));
        var translated = services.Trace(new NftTracePacket(source.Status.PodIP!, lab.Cluster.ServicesByName[service].ClusterIP!, "tcp", port, NftIngress.Pod));
        Assert.Equal(NftTraceVerdict.Translated, translated.Verdict);
        return [.. translated.Targets.Select(t => (
            $"{t.Address}:{t.Port}",
            Passes(lab.Trace(lab.Evaluator.EndpointOf(source), lab.Endpoint(lab.Cluster.Pods.Single(p => t.Address.Equals(p.Status.PodIP)).QualifiedName), t.Port, Model.Protocol.TCP))))];
    }

    private static IReadOnlyList<(string Node, NftTraceResult Result)> IcmpTrace(TracedCluster lab) =>
        [.. Maille.Engine.NetworkPolicies.ForwardPath.Nodes(lab.Endpoint("y/a"), lab.Endpoint("x/b"), lab.Cluster.Nodes).Select(node => (node,
            new NftPacketTracer(lab.Rulesets[node]).TraceFilter("forward", new NftTracePacket(lab.Endpoint("y/a").Address!, lab.Endpoint("x/b").Address!, "icmp", 0, NftIngress.Pod))))];
}
