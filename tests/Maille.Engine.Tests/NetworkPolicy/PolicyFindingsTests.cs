using Maille.Engine.Analysis;
using static Maille.Engine.Tests.NetworkPolicies.Playground;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>The NetworkPolicy lints of <c>maille analyze</c>, over the e2e playground.</summary>
public sealed class PolicyFindingsTests
{
    private static List<string> Findings(string yaml, string? code = null)
    {
        var world = With(yaml);
        return [.. PolicyFindings.For(world.Cluster, world.Evaluator).Where(f => code is null || f.Code == code).Select(f => $"{f.Code}: {f}")];
    }

    [Fact]
    public void APolicyThatSelectsNoPodIsReported()
    {
        Assert.Equal(
            ["PolicySelectsNoPod: NetworkPolicy x/p: podSelector pod=d selects no pod in namespace x: the policy has no effect"],
            Findings(Policy("x", "p", """
                podSelector: {matchLabels: {pod: d}}
                policyTypes: [Ingress]
                """)));
    }

    [Fact]
    public void APeerThatSelectsNothingIsReported_IpBlocksAreNot()
    {
        Assert.Equal(
            ["PeerSelectsNothing: NetworkPolicy x/p: spec.ingress[0].from[1] (namespaceSelector ns=w) selects no pod: it allows nothing"],
            Findings(Policy("x", "p", """
                podSelector: {}
                ingress:
                  - from:
                      - podSelector: {matchLabels: {pod: b}}
                      - namespaceSelector: {matchLabels: {ns: w}}
                      - ipBlock: {cidr: 203.0.113.0/24}
                """)));
    }

    [Fact]
    public void APeerForTheClusterDnsIsNotEmptyWhenTheInputHasNoDnsPods()
    {
        Assert.Empty(Findings(
            Policy("x", "dns", """
                podSelector: {}
                policyTypes: [Egress]
                egress:
                  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                    ports: [{port: dns, protocol: UDP}, {port: dns-tcp}]
                """)));
    }

    [Fact]
    public void EgressIsolationWithoutPort53ToTheClusterDnsIsReported()
    {
        Assert.Equal(
            ["EgressBlocksDns: NetworkPolicy x/deny-egress: egress of x/a, x/b, x/c (isolated by x/deny-egress) blocks UDP 53 and TCP 53 to the cluster DNS (no k8s-app=kube-dns pod in kube-system; judged against one assumed there): name lookups will fail unless the pods only use IP addresses"],
            Findings(Policy("x", "deny-egress", """
                podSelector: {}
                policyTypes: [Egress]
                """)));
    }

    [Fact]
    public void EgressIsolationThatAllowsDnsOnBothProtocolsIsNotReported_OneProtocolIs()
    {
        var bothProtocols = Policy("x", "dns", """
            podSelector: {}
            policyTypes: [Egress]
            egress:
              - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
                ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
            """);
        var udpOnly = Policy("x", "dns", """
            podSelector: {}
            policyTypes: [Egress]
            egress:
              - ports: [{port: dns, protocol: UDP}]
            """);

        Assert.Empty(Findings(bothProtocols, "EgressBlocksDns"));
        Assert.Contains("blocks TCP 53 to the cluster DNS", Assert.Single(Findings(udpOnly, "EgressBlocksDns")), StringComparison.Ordinal);
    }

    [Fact]
    public void ANamedPortNoDestinationDeclaresIsReported()
    {
        Assert.Equal(
            [
                "NamedPortUndeclared: NetworkPolicy x/p: spec.ingress[0].ports[1]: named port \"serve-80-tcp\" (UDP) is declared by none of the 1 selected pod: it matches nothing",
                "NamedPortUndeclared: NetworkPolicy x/p: spec.egress[0].ports[0]: named port \"web\" (TCP) is declared by none of the 3 destination pods: it matches nothing",
            ],
            Findings(Policy("x", "p", """
                podSelector: {matchLabels: {pod: a}}
                policyTypes: [Ingress, Egress]
                ingress:
                  - ports: [{port: serve-80-tcp}, {port: serve-80-tcp, protocol: UDP}]
                egress:
                  - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
                    ports: [{port: web}]
                  - ports: [{port: 53, protocol: UDP}, {port: 53}]
                """)));
    }

    [Fact]
    public void RulesOfADirectionLeftOutOfPolicyTypesAreReported()
    {
        Assert.Equal(
            ["RulesIgnoredByPolicyTypes: NetworkPolicy x/p: spec.ingress has 2 rules but policyTypes [Egress] leaves Ingress out: they are ignored"],
            Findings(
                Policy("x", "p", """
                    podSelector: {}
                    policyTypes: [Egress]
                    ingress: [{}, {}]
                    egress: [{}]
                    """),
                "RulesIgnoredByPolicyTypes"));
    }

    [Fact]
    public void APolicyAnotherOneMakesRedundantIsReported_OnceForTwoEquivalentPolicies()
    {
        var allow80 = """
            podSelector: {matchLabels: {pod: a}}
            ingress:
              - from: [{podSelector: {matchLabels: {pod: b}}}]
                ports: [{port: 80}]
            """;
        var wider = """
            podSelector: {matchExpressions: [{key: pod, operator: In, values: [a]}]}
            ingress:
              - from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]
                ports: [{port: 80}, {port: 81}]
            """;

        Assert.Equal(
            ["PolicyShadowed: NetworkPolicy x/narrow: is redundant: x/wide selects the same 1 pod and allows everything this policy allows; removing it changes nothing"],
            Findings(Policy("x", "narrow", allow80) + Policy("x", "wide", wider), "PolicyShadowed"));
        Assert.DoesNotContain(Findings(Policy("x", "narrow", wider) + Policy("x", "wide", allow80), "PolicyShadowed"), f => f.Contains("x/narrow:", StringComparison.Ordinal));
        Assert.Equal(
            ["PolicyShadowed: NetworkPolicy x/twin-b: is redundant: x/twin-a selects the same 1 pod and allows everything this policy allows; removing it changes nothing"],
            Findings(Policy("x", "twin-a", allow80) + Policy("x", "twin-b", allow80), "PolicyShadowed"));
    }

    [Fact]
    public void ANamespaceWideDefaultDenyIsNotRedundantBesideANarrowerSelectorThatSelectsTheSamePodsToday()
    {
        Assert.Empty(Findings(
            Policy("x", "default-deny", """
                podSelector: {}
                policyTypes: [Ingress]
                """) +
            Policy("x", "allow-from-y", """
                podSelector: {matchExpressions: [{key: pod, operator: Exists}]}
                ingress:
                  - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                """),
            "PolicyShadowed"));
    }

    [Fact]
    public void AnEgressPolicyIsNotRedundantBesideAnIngressOnlyOne()
    {
        Assert.DoesNotContain(Findings(
            Policy("x", "deny-ingress", """
                podSelector: {}
                policyTypes: [Ingress]
                """) +
            Policy("x", "deny-all", """
                podSelector: {}
                policyTypes: [Ingress, Egress]
                """),
            "PolicyShadowed"), f => f.Contains("x/deny-all:", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePlaygroundScenariosHaveTheFindingsTheirCommentsPredict()
    {
        var examples = Path.Combine(TestKit.Cluster.RepositoryRoot, "examples", "netpol-playground", "scenarios");

        Assert.Equal(
            ["PolicyShadowed: NetworkPolicy x/deny-all-ingress: is redundant: x/allow-all-ingress selects the same 3 pods and allows everything this policy allows; removing it changes nothing"],
            Findings(File.ReadAllText(Path.Combine(examples, "allow-all-ingress-in-x.yaml"))));
        Assert.Equal(["EgressBlocksDns"], Findings(File.ReadAllText(Path.Combine(examples, "egress-to-y-only.yaml"))).Select(f => f.Split(':')[0]));
        Assert.Empty(Findings(File.ReadAllText(Path.Combine(examples, "peers-and.yaml"))));
    }
}
