using Maille.Engine.NetworkPolicies;
using static Maille.Engine.Tests.NetworkPolicies.Playground;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// One test per rule of /work/shared/reference/networkpolicy.md (a), over the e2e playground (see <see cref="Playground"/>).
/// Rule 21 (established connections) has no offline behaviour to test; it is a documented choice in
/// docs/networkpolicy.md. Rule 22 (changes re-evaluate) is the two-step scenario in <see cref="PlaygroundScenarioTests"/>.
/// </summary>
public sealed class NetworkPolicyRuleTests
{
    private const string DenyAllIngress = """
        podSelector: {}
        policyTypes: [Ingress]
        """;

    [Fact]
    public void Rule01_PodSelectorSelectsOnlyPodsOfThePolicyNamespace()
    {
        var world = With(Policy("y", "deny-all", DenyAllIngress));

        Assert.True(world.Allowed("z/a", "x/a"));
        Assert.False(world.Allowed("z/a", "y/a"));
        Assert.Equal(["y/a", "y/b", "y/c"], [.. world.Cluster.Pods.Where(p => !world.Evaluator.IsolationOf(p).Ingress.IsEmpty).Select(p => p.QualifiedName)]);
    }

    [Fact]
    public void Rule02_IsolationIsPerDirection_AnEgressOnlyDenyLeavesIngressOpen()
    {
        var world = With(Policy("x", "deny-egress-a", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            """));

        Assert.True(world.Allowed("y/a", "x/a"));
        Assert.False(world.Allowed("x/a", "y/a"));
        Assert.Equal("denied: egress: isolated by x/deny-egress-a; no rule allows it; ingress: not isolated", world.Check("x/a", "y/a").ToString());
    }

    [Fact]
    public void Rule03_OmittedPolicyTypesMeanIngressPlusEgressWhenEgressRulesAreWritten()
    {
        var withEgressRule = With(Policy("x", "p", """
            podSelector: {}
            egress: [{}]
            """));
        var withEmptyEgress = With(Policy("x", "p", """
            podSelector: {}
            egress: []
            """));

        Assert.False(withEgressRule.Allowed("y/a", "x/a"));
        Assert.True(withEgressRule.Allowed("x/a", "y/a"));
        Assert.Equal("allowed: egress: isolated by x/p; allowed by x/p egress rule 0 any peer any port; ingress: not isolated", withEgressRule.Check("x/a", "y/a").ToString());
        Assert.False(withEmptyEgress.Allowed("y/a", "x/a"));
        Assert.True(withEmptyEgress.Allowed("x/a", "y/a"));
        Assert.Empty(withEmptyEgress.Evaluator.IsolationOf(withEmptyEgress.Cluster.PodsByName["x/a"]).Egress);
    }

    [Fact]
    public void Rule04_RulesOfADirectionMissingFromPolicyTypesAreIgnored()
    {
        var world = With(Policy("x", "egress-only", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress: [{}]
            ingress:
              - from: [{podSelector: {matchLabels: {pod: b}}}]
            """));

        // The ingress rule would have isolated x/a and admitted only x/b; it is ignored, so ingress stays open.
        Assert.True(world.Allowed("x/c", "x/a"));
        Assert.True(world.Allowed("z/c", "x/a"));
        Assert.True(world.Allowed("x/a", "z/c"));
    }

    [Fact]
    public void Rule05_PoliciesAreAdditive_AnAllowAllOpensWhatAnotherPolicyLeftClosed()
    {
        var onlyPort80 = Policy("x", "allow-80", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - ports: [{port: 80}]
            """);
        var allowAll = Policy("x", "allow-all", """
            podSelector: {matchLabels: {pod: a}}
            ingress: [{}]
            """);

        Assert.False(With(onlyPort80).Allowed("y/a", "x/a", "81/TCP"));
        Assert.True(With(onlyPort80 + allowAll).Allowed("y/a", "x/a", "81/TCP"));
        Assert.Equal(
            "allowed: egress: not isolated; ingress: isolated by x/allow-80, x/allow-all; allowed by x/allow-all ingress rule 0 any peer any port",
            With(onlyPort80 + allowAll).Check("y/a", "x/a", "81/TCP").ToString());
    }

    [Fact]
    public void Rule06_AConnectionNeedsTheSourceEgressAndTheDestinationIngress()
    {
        var world = With(
            Policy("x", "a-egress-to-y-a", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Egress]
                egress:
                  - to: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]
                """) +
            Policy("y", "b-ingress-from-x-a", """
                podSelector: {matchLabels: {pod: b}}
                ingress:
                  - from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: a}}}]
                """));

        Assert.True(world.Allowed("x/a", "y/a"));
        Assert.False(world.Allowed("x/a", "y/b"));
        var verdict = world.Check("x/a", "y/b");
        Assert.False(verdict.Egress.Allowed);
        Assert.True(verdict.Ingress.Allowed);
        Assert.Equal("x/b-ingress-from-x-a", "x/" + verdict.Ingress.AllowedBy!.PolicyName);
    }

    [Fact]
    public void Rule07_ADirectionWithoutRulesDeniesEverything_AnEmptyRuleAllowsEverything()
    {
        var denyAll = With(Policy("x", "deny-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """));
        var allowAll = With(Policy("x", "allow-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            ingress: [{}]
            egress: [{}]
            """));

        Assert.Empty(denyAll.SourcesOf("x/b"));
        Assert.Empty(denyAll.DestinationsOf("x/b"));
        Assert.False(denyAll.Allowed("203.0.113.5", "x/b"));
        Assert.Equal(Except("x/b"), allowAll.SourcesOf("x/b"));
        Assert.Equal(Except("x/b"), allowAll.DestinationsOf("x/b", "81/UDP"));
        Assert.True(allowAll.Allowed("203.0.113.5", "x/b", "9999/SCTP"));
    }

    [Fact]
    public void Rule08_PeersAndPortsOfARuleAreAnded_ItemsInEachListAreOred()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from:
                  - podSelector: {matchLabels: {pod: b}}
                  - podSelector: {matchLabels: {pod: c}}
                ports:
                  - port: 80
                  - port: 81
                    protocol: UDP
              - ports: [{port: 8080}]
            """));

        Assert.True(world.Allowed("x/b", "x/a", "80/TCP"));
        Assert.True(world.Allowed("x/c", "x/a", "81/UDP"));
        Assert.False(world.Allowed("x/b", "x/a", "81/TCP"));
        Assert.False(world.Allowed("y/b", "x/a", "80/TCP"));
        Assert.Equal("x/p ingress rule 0 peer 1 port 1", world.Check("x/c", "x/a", "81/UDP").Ingress.AllowedBy!.ToString());

        // An omitted `from` admits any peer, external addresses included.
        Assert.True(world.Allowed("203.0.113.5", "x/a", "8080/TCP"));
        Assert.Equal("x/p ingress rule 1 any peer port 0", world.Check("203.0.113.5", "x/a", "8080/TCP").Ingress.AllowedBy!.ToString());
    }

    [Fact]
    public void Rule09_NamespaceAndPodSelectorInOnePeerAreAnded()
    {
        var world = With(Policy("x", "and", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                    podSelector: {matchLabels: {pod: b}}
            """));

        Assert.Equal(["y/b", "z/b"], world.SourcesOf("x/a"));
    }

    [Fact]
    public void Rule09_NamespaceAndPodSelectorInTwoPeersAreOred()
    {
        var world = With(Policy("x", "or", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from:
                  - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                  - podSelector: {matchLabels: {pod: b}}
            """));

        Assert.Equal(["x/b", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"], world.SourcesOf("x/a"));
    }

    [Fact]
    public void Rule10_EmptyNamespaceSelectorMeansEveryPodButNoExternalAddress_EmptyPodSelectorMeansThePolicyNamespace()
    {
        var anyNamespace = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from: [{namespaceSelector: {}}]
            """));
        var ownNamespace = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from: [{podSelector: {}}]
            """));

        Assert.Equal(Except("x/a"), anyNamespace.SourcesOf("x/a"));
        Assert.False(anyNamespace.Allowed("203.0.113.5", "x/a"));
        Assert.Equal(["x/b", "x/c"], ownNamespace.SourcesOf("x/a"));
        Assert.False(ownNamespace.Allowed("203.0.113.5", "x/a"));
    }

    [Fact]
    public void Rule11_NotInAndDoesNotExistMatchObjectsWithoutTheKey_NamespacesCarryTheirNameLabel()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
              - to:
                  - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]}
                    podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}, {key: pod, operator: In, values: [b, c]}]}
                  - namespaceSelector: {matchExpressions: [{key: team, operator: NotIn, values: [blue]}, {key: ns, operator: Exists}]}
                    podSelector: {matchLabels: {pod: a}}
            """));

        Assert.Equal(["x/b", "x/c", "y/a", "z/a", "z/b", "z/c"], world.DestinationsOf("x/a"));
    }

    [Fact]
    public void Rule12_IpBlockExceptNarrowsOnlyItsOwnPeer_HostBitsMeanTheNetwork()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from:
                  - ipBlock: {cidr: 203.0.113.77/24, except: [203.0.113.0/28]}
              - from:
                  - ipBlock: {cidr: 203.0.113.8/29}
            """));

        Assert.True(world.Allowed("203.0.113.200", "x/a"));
        Assert.True(world.Allowed("203.0.113.9", "x/a"));      // excepted by peer 0 of rule 0, allowed by rule 1
        Assert.False(world.Allowed("203.0.113.1", "x/a"));     // in the except, not in 203.0.113.8/29
        Assert.False(world.Allowed("198.51.100.1", "x/a"));
        Assert.Equal("x/p ingress rule 1 peer 0 any port", world.Check("203.0.113.9", "x/a").Ingress.AllowedBy!.ToString());
    }

    [Fact]
    public void Rule12_IpBlockMatchesTheSourceForIngressAndTheDestinationForEgress()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Ingress, Egress]
            ingress:
              - from: [{ipBlock: {cidr: 203.0.113.0/24}}]
            egress:
              - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
            """));

        Assert.True(world.Allowed("203.0.113.5", "x/a"));
        Assert.False(world.Allowed("198.51.100.5", "x/a"));
        Assert.True(world.Allowed("x/a", "198.51.100.5"));
        Assert.False(world.Allowed("x/a", "203.0.113.5"));
        Assert.Equal("allowed: egress: isolated by x/p; allowed by x/p egress rule 0 peer 0 any port; ingress: external endpoint, no policy side", world.Check("x/a", "198.51.100.5").ToString());
    }

    [Fact]
    public void Rule13_IpBlockMatchesPodIps_AsUpstreamE2eExpects()
    {
        // y/a is 198.19.1.3; the except cuts exactly that /32 out of node-1's pod CIDR.
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from: [{ipBlock: {cidr: 198.19.1.0/24, except: [198.19.1.3/32]}}]
            """));

        Assert.Equal("198.19.1.3", world.Cluster.PodsByName["y/a"].Status.PodIP!.ToString());
        Assert.Equal(["z/a"], world.SourcesOf("x/a"));
    }

    [Fact]
    public void Rule14_PolicyPortsAreThePodPortAfterServiceDnat()
    {
        var world = With(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: x}
            spec:
              ports: [{port: 8000, targetPort: serve-81-tcp}]
              selector:
                pod: a
            ---

            """ +
            Policy("x", "p", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                  - ports: [{port: 81}]
                """));

        // A client connects to web:8000; DNAT turns that into x/a:81 before policy, so the policy must name 81.
        var slice = world.Cluster.SlicesFor(world.Cluster.ServicesByName["x/web"]).Single();
        var podPort = slice.Ports.Single().Port!.Value;
        Assert.Equal(81, podPort);
        Assert.True(world.Allowed("y/a", "x/a", $"{podPort}/TCP"));
        Assert.False(world.Allowed("y/a", "x/a", "8000/TCP"));
    }

    [Fact]
    public void Rule15_ProtocolDefaultsToTcpAndMustMatch_APortlessEntryMeansEveryPortOfItsProtocol()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - ports: [{port: 81, protocol: SCTP}]
              - from: [{podSelector: {matchLabels: {pod: b}}}]
                ports: [{port: 80}]
              - from: [{podSelector: {matchLabels: {pod: c}}}]
                ports: [{protocol: UDP}]
            """));

        Assert.False(world.Allowed("y/a", "x/a", "81/TCP"));
        Assert.True(world.Allowed("y/a", "x/a", "81/SCTP"));
        Assert.True(world.Allowed("x/b", "x/a", "80/TCP"));
        Assert.False(world.Allowed("x/b", "x/a", "80/UDP"));
        Assert.True(world.Allowed("x/c", "x/a", "65535/UDP"));
        Assert.False(world.Allowed("x/c", "x/a", "80/TCP"));
    }

    [Fact]
    public void Rule16_NamedPortsResolveOnTheDestinationPodByNameAndProtocol()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            egress:
              - ports: [{port: serve-80-tcp}]
              - ports: [{port: serve-81-tcp, protocol: UDP}]
              - ports: [{port: no-such-port}]
            """));

        Assert.True(world.Allowed("x/a", "y/a", "80/TCP"));
        Assert.False(world.Allowed("x/a", "y/a", "81/TCP"));
        Assert.False(world.Allowed("x/a", "y/a", "81/UDP"));   // serve-81-tcp is TCP: the UDP entry resolves to nothing
        Assert.False(world.Allowed("x/a", "203.0.113.5", "80/TCP"));   // never matches an external destination
    }

    [Fact]
    public void Rule16_ANamedPortResolvesPerDestinationPod()
    {
        var pods = PodsYaml.Replace(
            "    - name: cont-81-tcp\n      image: registry.k8s.io/e2e-test-images/agnhost:2.47\n      command: [\"/agnhost\", \"serve-hostname\", \"--tcp\", \"--http=false\", \"--port\", \"81\"]\n      ports:\n        - name: serve-81-tcp\n          containerPort: 81",
            "    - name: cont-81-tcp\n      image: registry.k8s.io/e2e-test-images/agnhost:2.47\n      command: [\"/agnhost\", \"serve-hostname\", \"--tcp\", \"--http=false\", \"--port\", \"81\"]\n      ports:\n        - name: serve-81-tcp\n          containerPort: 8081",
            StringComparison.Ordinal);
        Assert.NotEqual(PodsYaml, pods);
        var world = With(Policy("x", "p", """
            podSelector: {}
            ingress:
              - ports: [{port: serve-81-tcp}]
            """), pods);

        // Every pod now declares serve-81-tcp as 8081: the same policy opens 8081 and no longer 81.
        Assert.True(world.Allowed("y/a", "x/b", "8081/TCP"));
        Assert.False(world.Allowed("y/a", "x/b", "81/TCP"));
    }

    [Fact]
    public void Rule17_EndPortIsAnInclusiveRange()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - ports: [{port: 32000, endPort: 32768}]
            """));

        Assert.False(world.Allowed("y/a", "x/a", "31999/TCP"));
        Assert.True(world.Allowed("y/a", "x/a", "32000/TCP"));
        Assert.True(world.Allowed("y/a", "x/a", "32768/TCP"));
        Assert.False(world.Allowed("y/a", "x/a", "32769/TCP"));
        Assert.False(world.Allowed("y/a", "x/a", "32000/UDP"));
    }

    [Fact]
    public void Rule18_RepliesAreNeverJudged_OnlyTheInitiatingDirectionIs()
    {
        // x/a may send nothing; y/a may still open connections to x/a, whose replies flow back.
        var world = With(Policy("x", "deny-egress", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Egress]
            """));

        var verdict = world.Check("y/a", "x/a");
        Assert.True(verdict.Allowed);
        Assert.False(verdict.Ingress.IsIsolated);
        Assert.False(world.Allowed("x/a", "y/a"));
    }

    [Fact]
    public void Rule19_TrafficBetweenAPodAndItsOwnNodeIsAlwaysAllowed()
    {
        var world = With(Policy("x", "deny-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """));

        // x/a runs on node-1 (198.18.0.11); node-2 is 198.18.0.12.
        Assert.Equal(VerdictReason.OwnNode, world.Check("198.18.0.11", "x/a").Reason);
        Assert.True(world.Allowed("x/a", "198.18.0.11"));
        Assert.False(world.Allowed("198.18.0.12", "x/a"));
    }

    [Fact]
    public void Rule19_HostNetworkPodsAreNeverSelectedAndLookLikeTheirNode()
    {
        var world = With(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: agent, namespace: x, labels: {pod: a}}
            spec:
              containers: [{name: agent, image: agent}]
              hostNetwork: true
              nodeName: node-2
            ---

            """ +
            Policy("x", "deny-all", """
                podSelector: {}
                policyTypes: [Ingress, Egress]
                ingress:
                  - from: [{podSelector: {matchLabels: {pod: a}}}]
                  - from: [{ipBlock: {cidr: 198.18.0.12/32}}]
                """));

        var agent = world.Cluster.PodsByName["x/agent"];
        Assert.Equal((0, 0), (world.Evaluator.IsolationOf(agent).Ingress.Length, world.Evaluator.IsolationOf(agent).Egress.Length));
        Assert.Equal("198.18.0.12", world.Endpoint("x/agent").Address!.ToString());
        var sameNode = world.Cluster.Pods.First(p => p.Name != "agent" && p.Spec.NodeName == "node-2").QualifiedName;
        var otherNode = world.Cluster.Pods.First(p => p.Namespace == "x" && p.Spec.NodeName != "node-2").QualifiedName;
        Assert.Equal(VerdictReason.OwnNode, world.Check("x/agent", sameNode).Reason);
        Assert.Equal("x/deny-all ingress rule 1 peer 0 any port", world.Check("x/agent", otherNode).Ingress.AllowedBy!.ToString());
        Assert.False(world.Allowed(otherNode, "x/agent"));   // x's egress deny-all: the agent is just node-2's address
    }

    [Fact]
    public void Rule20_APodReachingItsOwnIpIsAlwaysAllowed()
    {
        var world = With(Policy("x", "deny-all", """
            podSelector: {}
            policyTypes: [Ingress, Egress]
            """));

        Assert.Equal(VerdictReason.Loopback, world.Check("x/a", "x/a").Reason);
        Assert.True(world.Allowed("x/a", "x/a", "12345/UDP"));
        Assert.False(world.Allowed("x/a", "x/b"));
    }

    [Fact]
    public void Rule23_OnlyTcpUdpAndSctpCanBeAskedAbout()
    {
        Assert.Equal([Model.Protocol.TCP, Model.Protocol.UDP, Model.Protocol.SCTP], Enum.GetValues<Model.Protocol>());
        Assert.False(PortProtocol.TryParse("0/ICMP", out _));
        Assert.True(PortProtocol.TryParse("53/udp", out var dns));
        Assert.Equal(new PortProtocol(53, Model.Protocol.UDP), dns);
    }

    [Fact]
    public void Rule24_EgressIsolationBlocksDnsUnlessPort53IsAllowed()
    {
        const string Dns = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: kube-system
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
            spec:
              containers:
                - ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]
                  name: coredns
                  image: coredns
            ---

            """;
        var blocked = With(Dns + Policy("x", "egress-to-y", """
            podSelector: {}
            policyTypes: [Egress]
            egress:
              - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
            """));
        var open = With(Dns + Policy("x", "egress-to-y", """
            podSelector: {}
            policyTypes: [Egress]
            egress:
              - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
              - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
                ports: [{port: dns, protocol: UDP}, {port: dns-tcp}]
            """));

        Assert.False(blocked.Allowed("x/a", "kube-system/coredns", "53/UDP"));
        Assert.True(open.Allowed("x/a", "kube-system/coredns", "53/UDP"));
        Assert.True(open.Allowed("x/a", "kube-system/coredns", "53/TCP"));
        Assert.False(open.Allowed("x/a", "kube-system/coredns", "54/TCP"));
    }

    [Fact]
    public void Rule25_TheAnswerForAPairIsASetOfPortRangesPerProtocol()
    {
        var world = With(Policy("x", "p", """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - ports: [{port: 1, endPort: 8079}, {port: 8081, endPort: 65535}]
              - ports: [{port: serve-80-udp, protocol: UDP}]
            """));

        Assert.Equal("TCP 1-8079,8081-65535; UDP 80", world.Evaluator.AllowedConnections(world.Endpoint("y/a"), world.Endpoint("x/a")).ToString());
        Assert.Equal("All Connections", world.Evaluator.AllowedConnections(world.Endpoint("x/a"), world.Endpoint("y/a")).ToString());
        var denied = With(Policy("x", "deny", DenyAllIngress));
        Assert.Equal("No Connections", denied.Evaluator.AllowedConnections(denied.Endpoint("y/a"), denied.Endpoint("x/a")).ToString());
    }
}
