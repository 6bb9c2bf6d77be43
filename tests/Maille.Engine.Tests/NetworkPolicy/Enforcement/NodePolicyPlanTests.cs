using System.Net;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using static Maille.Engine.Tests.NetworkPolicies.Playground;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// The shape of a node's compiled plan. IP plan (the playground, see <see cref="Playground"/>): node-1 198.18.0.11
/// holds x/a 198.19.1.2, y/a 198.19.1.3, z/a 198.19.1.4; node-2 holds the b pods (198.19.2.x), node-3 the c pods.
/// </summary>
public sealed class NodePolicyPlanTests
{
    private const string AllowBOutsideX = """
        podSelector: {matchLabels: {pod: a}}
        policyTypes: [Ingress]
        ingress:
          - from:
              - namespaceSelector: {matchExpressions: [{key: ns, operator: NotIn, values: [x]}]}
                podSelector: {matchLabels: {pod: b}}
        """;

    [Fact]
    public void NoPolicy_PodsAreListedWithoutChainsAndNothingElseIsPlanned()
    {
        var plan = NodePolicyPlanner.Plan(With().Cluster, "node-1");

        Assert.Equal(["x/a 198.19.1.2", "y/a 198.19.1.3", "z/a 198.19.1.4"], [.. plan.Pods.Select(p => $"{p.Pod} {p.Address}")]);
        Assert.All(plan.Pods, p => Assert.Null(p.IngressChain ?? p.EgressChain));
        Assert.Empty(plan.Chains);
        Assert.Empty(plan.PeerSets);
        Assert.Equal(IPAddress.Parse("198.18.0.11"), plan.NodeAddress);
    }

    [Fact]
    public void DenyAllIngress_EveryPodOfTheNamespaceEntersOneChainWithNoRule_OnEveryNode()
    {
        var cluster = With(Policy("x", "deny-all", """
            podSelector: {}
            policyTypes: [Ingress]
            """)).Cluster;

        var plans = cluster.Nodes.Select(n => NodePolicyPlanner.Plan(cluster, n.Name)).ToList();

        var chain = Assert.Single(plans[0].Chains);
        Assert.Equal(PolicyDirection.Ingress, chain.Direction);
        Assert.Equal(["x/deny-all"], chain.Policies);
        Assert.Empty(chain.Rules);
        Assert.All(plans, p => Assert.Equal(chain, Assert.Single(p.Chains)));
        Assert.Equal([chain.Name, null, null], plans[0].Pods.Select(p => p.IngressChain));
        Assert.All(plans.SelectMany(p => p.Pods), p => Assert.Null(p.EgressChain));
    }

    [Fact]
    public void RelabellingAPeer_ChangesTheSetsElementsAndNothingElse()
    {
        var before = With(Policy("x", "allow-b", AllowBOutsideX)).Cluster;
        var after = With(Policy("x", "allow-b", AllowBOutsideX), PodsYaml.Replace(
            "  name: c\n  namespace: y\n  labels:\n    pod: c", "  name: c\n  namespace: y\n  labels:\n    pod: b", StringComparison.Ordinal)).Cluster;

        var planBefore = NodePolicyPlanner.Plan(before, "node-1");
        var planAfter = NodePolicyPlanner.Plan(after, "node-1");

        Assert.Equal(planBefore.Chains, planAfter.Chains);
        Assert.Equal(planBefore.Pods, planAfter.Pods);
        var setBefore = Assert.Single(planBefore.PeerSets);
        var setAfter = Assert.Single(planAfter.PeerSets);
        Assert.Equal(setBefore.Name, setAfter.Name);
        Assert.Equal(["198.19.2.3-198.19.2.4"], setBefore.Members.Select(AddressRanges.Text));   // y/b, z/b: adjacent, merged
        Assert.Equal(["198.19.2.3-198.19.2.4", "198.19.3.3"], setAfter.Members.Select(AddressRanges.Text));   // and y/c
    }

    [Fact]
    public void RelabellingTheSelectedPod_PointsItAtAnotherChainAndKeepsTheChains()
    {
        var policies = Policy("x", "allow-b", AllowBOutsideX) + Policy("y", "deny-all", "podSelector: {}\npolicyTypes: [Ingress]");
        var before = NodePolicyPlanner.Plan(With(policies).Cluster, "node-1");
        var after = NodePolicyPlanner.Plan(With(policies, PodsYaml.Replace(
            "  name: a\n  namespace: x\n  labels:\n    pod: a", "  name: a\n  namespace: x\n  labels:\n    pod: z", StringComparison.Ordinal)).Cluster, "node-1");

        Assert.NotNull(before.Pods[0].IngressChain);
        Assert.Null(after.Pods[0].IngressChain);
        Assert.Equal(before.Pods[1], after.Pods[1]);
        Assert.Contains(after.Chains, c => c.Name == before.Pods[1].IngressChain);
    }

    [Fact]
    public void RulesWithTheSamePeers_ShareOneSet_AndEachRuleHasItsOwnCounter()
    {
        var cluster = With(
            Policy("x", "allow-b-80", AllowBOutsideX + "\n    ports: [{port: 80}]") +
            Policy("x", "allow-b-81", AllowBOutsideX + "\n    ports: [{port: 81}]")).Cluster;

        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        var set = Assert.Single(plan.PeerSets);
        var chain = Assert.Single(plan.Chains);
        Assert.Equal(
            ["ingress/x/allow-b-80/0 port 80 from " + set.Name, "ingress/x/allow-b-81/0 port 81 from " + set.Name],
            chain.Rules.Select(r => $"{r.Rule.Key} port {r.Ports} from {r.PeerSet}"));
        Assert.Equal(["ingress/x/allow-b-80/0", "ingress/x/allow-b-81/0"], plan.CountedRules.Select(r => r.Key));
    }

    [Fact]
    public void PortEntries_EachBecomeOneCompiledRule_WithProtocolAndRange()
    {
        var cluster = With(Policy("x", "ports", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Ingress]
            ingress:
              - ports:
                  - {protocol: TCP, port: 80}
                  - {protocol: UDP}
                  - {protocol: TCP, port: 32000, endPort: 32768}
              - {}
            """)).Cluster;

        var rules = Assert.Single(NodePolicyPlanner.Plan(cluster, "node-1").Chains).Rules;

        Assert.Equal(
            ["x/ports ingress rule 0 port 0: TCP 80", "x/ports ingress rule 0 port 1: UDP any", "x/ports ingress rule 0 port 2: TCP 32000-32768", "x/ports ingress rule 1 any port: any any"],
            rules.Select(r => $"{r.Description}: {r.Protocol?.ToString() ?? "any"} {r.Ports?.ToString() ?? "any"}"));
        Assert.All(rules, r => Assert.Null(r.PeerSet));
    }

    [Fact]
    public void IpBlockWithExcept_BecomesTheRangesOfItsCidrMinusItsHoles()
    {
        var cluster = With(Policy("x", "cidr", """
            podSelector: {matchLabels: {pod: a}}
            policyTypes: [Ingress]
            ingress:
              - from:
                  - ipBlock: {cidr: 198.19.0.0/16, except: [198.19.2.0/24, 198.19.3.2/32]}
                  - ipBlock: {cidr: 10.10.1.12/24}
            """)).Cluster;

        var set = Assert.Single(NodePolicyPlanner.Plan(cluster, "node-1").PeerSets);

        Assert.Equal(["10.10.1.0/24", "198.19.0.0/23", "198.19.3.0/31", "198.19.3.3-198.19.255.255"], set.Members.Select(AddressRanges.Text));
        Assert.Equal("ipBlock 198.19.0.0/16 except 198.19.2.0/24,198.19.3.2/32 or ipBlock 10.10.1.0/24", set.Definition);
    }

    [Fact]
    public void IngressNamedPort_ResolvesOnEachSelectedPod_SoPodsDeclaringItDifferentlyGetDifferentChains()
    {
        var cluster = TestKit.Cluster.Valid(NamedPortPods + Policy("x", "allow-http", """
            podSelector: {}
            policyTypes: [Ingress]
            ingress:
              - ports: [{port: http}]
            """));

        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        Assert.Equal(3, plan.Pods.Count(p => p.IngressChain is not null));
        var ports = plan.Pods.ToDictionary(p => p.Pod, p => plan.Chains.Single(c => c.Name == p.IngressChain).Rules.Select(r => r.Ports?.ToString()).SingleOrDefault());
        Assert.Equal("8080", ports["x/web-8080"]);
        Assert.Equal("9090", ports["x/web-9090"]);
        Assert.Null(ports["x/no-http"]);
        Assert.Equal(3, plan.Chains.Count);
    }

    [Fact]
    public void EgressNamedPort_IsASetOfEachDestinationsResolution_WithoutPodsThatLackTheName()
    {
        var cluster = TestKit.Cluster.Valid(NamedPortPods + Policy("x", "to-http", """
            podSelector: {matchLabels: {app: client}}
            policyTypes: [Egress]
            egress:
              - to: [{podSelector: {}}]
                ports: [{port: http}]
            """));

        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        var rule = Assert.Single(Assert.Single(plan.Chains).Rules);
        var set = Assert.Single(plan.NamedPortSets);
        Assert.Equal(set.Name, rule.NamedPortSet);
        Assert.Null(rule.PeerSet);
        var web8080 = cluster.PodsByName["x/web-8080"].Status.PodIP;
        var web9090 = cluster.PodsByName["x/web-9090"].Status.PodIP;
        Assert.Equal([$"{web8080} . tcp . 8080", $"{web9090} . tcp . 9090"], set.Members.Select(m => m.ToString()));
    }

    [Fact]
    public void HostNetworkPods_AreNotPlannedAndNeverInASet()
    {
        var cluster = TestKit.Cluster.Valid(PodsYaml + "\n---\n" + """
            apiVersion: v1
            kind: Pod
            metadata: {name: agent, namespace: x, labels: {pod: b}}
            spec:
              containers: [{name: agent, image: agent}]
              hostNetwork: true
              nodeName: node-1
            ---

            """ + Policy("x", "allow-b", """
            podSelector: {}
            policyTypes: [Ingress]
            ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
            """));

        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        Assert.DoesNotContain(plan.Pods, p => p.Pod == "x/agent");
        Assert.Equal([$"{cluster.PodsByName["x/b"].Status.PodIP}"], Assert.Single(plan.PeerSets).Members.Select(AddressRanges.Text));
    }

    [Fact]
    public void RulesOfADirectionLeftOutOfPolicyTypes_AreNotCompiled()
    {
        var cluster = With(Policy("x", "egress-only", """
            podSelector: {}
            policyTypes: [Egress]
            ingress: [{}]
            """)).Cluster;

        var plan = NodePolicyPlanner.Plan(cluster, "node-1");

        var chain = Assert.Single(plan.Chains);
        Assert.Equal(PolicyDirection.Egress, chain.Direction);
        Assert.Empty(chain.Rules);
        Assert.Null(plan.Pods[0].IngressChain);
    }

    [Fact]
    public void EqualClusters_GiveEqualPlans_AndAChangedPolicyGivesANewChainName()
    {
        var plan = NodePolicyPlanner.Plan(With(Policy("x", "allow-b", AllowBOutsideX)).Cluster, "node-1");
        var again = NodePolicyPlanner.Plan(With(Policy("x", "allow-b", AllowBOutsideX)).Cluster, "node-1");
        var changed = NodePolicyPlanner.Plan(With(Policy("x", "allow-b", AllowBOutsideX + "\n    ports: [{port: 80}]")).Cluster, "node-1");

        Assert.Equal(plan, again);
        Assert.NotEqual(plan.Chains[0].Name, changed.Chains[0].Name);
        Assert.Equal(plan.PeerSets, changed.PeerSets);
    }

    [Theory]
    [InlineData("198.19.1.2", "198.19.1.2", "198.19.1.2")]
    [InlineData("198.19.0.0", "198.19.1.255", "198.19.0.0/23")]
    [InlineData("0.0.0.0", "255.255.255.255", "0.0.0.0/0")]
    [InlineData("198.19.0.1", "198.19.0.2", "198.19.0.1-198.19.0.2")]
    [InlineData("198.19.3.3", "198.19.255.255", "198.19.3.3-198.19.255.255")]
    public void AnAddressRange_IsWrittenAsAnAddressACidrOrARange(string first, string last, string text)
    {
        var range = new AddressRange(IpMath.ToUInt32(IPAddress.Parse(first)), IpMath.ToUInt32(IPAddress.Parse(last)));

        Assert.Equal(text, AddressRanges.Text(range));
    }

    [Fact]
    public void AddressRanges_MergeOverlappingAndAdjacentRanges()
    {
        AddressRange Range(string first, string last) => new(IpMath.ToUInt32(IPAddress.Parse(first)), IpMath.ToUInt32(IPAddress.Parse(last)));

        var merged = AddressRanges.Normalize([Range("10.0.0.4", "10.0.0.4"), Range("10.0.0.0", "10.0.0.3"), Range("10.0.0.2", "10.0.0.9"), Range("10.0.1.0", "10.0.1.0"), Range("255.255.255.255", "255.255.255.255")]);

        Assert.Equal(["10.0.0.0-10.0.0.9", "10.0.1.0", "255.255.255.255"], merged.Select(AddressRanges.Text));
    }

    /// <summary>Namespace x with pods declaring the named port http differently (and one not at all), and a client.</summary>
    private const string NamedPortPods = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-8080, namespace: x}
        spec:
          nodeName: node-1
          containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}, {name: other, containerPort: 81}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-9090, namespace: x}
        spec:
          nodeName: node-1
          containers: [{name: c, image: i, ports: [{name: http, containerPort: 9090}, {name: http-udp, containerPort: 9091, protocol: UDP}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: no-http, namespace: x, labels: {app: client}}
        spec:
          nodeName: node-1
          containers: [{name: c, image: i, ports: [{name: web, containerPort: 80}]}]
        ---

        """;
}
