using Maille.Engine.Analysis;
using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;
using static Maille.TestKit.ConformanceCluster;
using static Maille.TestKit.ClusterNetworkPolicyBuilder;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>The analyze lints for ClusterNetworkPolicies, in the conformance world (see <see cref="ConformanceWorld"/>).</summary>
public sealed class ClusterPolicyFindingsTests
{
    private static readonly (string, string)[] KubeSystem = [(Namespace.NameLabel, "kube-system")];

    private static List<string> Findings(string extraYaml, params ClusterNetworkPolicyBuilder[] policies)
    {
        var cluster = Cluster.Valid(Fixtures.Yaml("cnp-conformance") + string.Concat(policies.Select(p => "---\n" + p.Yaml())) + extraYaml);
        return [.. ClusterPolicyFindings.For(cluster, NetworkPolicyEvaluator.For(cluster)).Select(f => $"{f.Code}: {f}")];
    }

    [Fact]
    public void A_rule_covered_by_an_earlier_rule_of_its_policy_is_reported_as_shadowed()
    {
        var findings = Findings("", Admin("p", 5).SubjectNamespaces(Gryffindor)
            .Egress("all-slytherin", ClusterPolicyAction.Deny, [Namespaces(Slytherin)])
            .Egress("slytherin-80", ClusterPolicyAction.Accept, [Namespaces(Slytherin)], Port(Protocol.TCP, 80)));

        Assert.Equal(["ClusterRuleShadowed: ClusterNetworkPolicy p: egress rule 1 \"slytherin-80\" (Accept) never matches: rule 0 \"all-slytherin\" before it (Deny) covers its peers and ports for every pod it selects"], findings);
    }

    [Fact]
    public void A_rule_covered_by_a_higher_priority_policy_over_the_same_or_more_pods_is_reported_as_shadowed()
    {
        var findings = Findings("",
            Admin("wide", 1).SubjectNamespaces().Egress(null, ClusterPolicyAction.Deny, [Namespaces()], PortRange(Protocol.TCP, 1, 1024)),
            Admin("narrow", 2).SubjectNamespaces(Gryffindor).Egress("web", ClusterPolicyAction.Accept, [Namespaces(Slytherin)], Port(Protocol.TCP, 80)));

        Assert.Equal(["ClusterRuleShadowed: ClusterNetworkPolicy narrow: egress rule 0 \"web\" (Accept) never matches: wide (priority 1) egress rule 0 (Deny) covers its peers and ports for every pod it selects"], findings);
    }

    [Fact]
    public void A_wider_rule_after_a_narrower_one_is_not_shadowed()
    {
        Assert.Empty(Findings("", Admin("p", 5).SubjectNamespaces(Gryffindor)
            .Egress(null, ClusterPolicyAction.Accept, [Namespaces(Slytherin)], Port(Protocol.TCP, 80))
            .Egress(null, ClusterPolicyAction.Deny, [Namespaces(Slytherin)])));
    }

    [Fact]
    public void Accept_and_Deny_at_the_same_tier_and_priority_on_the_same_traffic_are_reported_as_a_conflict()
    {
        var findings = Findings("",
            Admin("a", 7).SubjectNamespaces(Gryffindor).Egress("ok", ClusterPolicyAction.Accept, [Namespaces(Slytherin)], Port(Protocol.TCP, 80)),
            Admin("b", 7).SubjectNamespaces().Egress("no", ClusterPolicyAction.Deny, [Pods(Slytherin, [])], PortRange(Protocol.TCP, 1, 100)));

        Assert.Equal(["ClusterPoliciesConflict: ClusterNetworkPolicy b: a and b have the same tier (Admin) and priority (7) and select the same pods, and a egress rule 0 \"ok\" (Accept) and b egress rule 0 \"no\" (Deny) match the same traffic: upstream leaves the winner undefined (Maille takes a, by name); give them different priorities"], findings);
    }

    [Fact]
    public void Same_priority_policies_over_different_pods_or_ports_do_not_conflict()
    {
        Assert.Empty(Findings("",
            Admin("a", 7).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Accept, [Namespaces(Slytherin)], Port(Protocol.TCP, 80)),
            Admin("b", 7).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Deny, [Namespaces(Slytherin)], Port(Protocol.TCP, 8080)),
            Admin("c", 7).SubjectNamespaces(Slytherin).Egress(null, ClusterPolicyAction.Deny, [Namespaces(Slytherin)], Port(Protocol.TCP, 80))));
    }

    [Fact]
    public void A_Baseline_tier_that_denies_DNS_to_pods_no_NetworkPolicy_isolates_is_reported()
    {
        var findings = Findings("", Baseline("default", 0).SubjectNamespaces(Gryffindor).Egress("no-kube-system", ClusterPolicyAction.Deny, [Namespaces(KubeSystem)]));

        Assert.Equal(
            ["BaselineBlocksDns: ClusterNetworkPolicy default: egress rule 0 \"no-kube-system\" denies UDP 53 and TCP 53 to the cluster DNS for network-policy-conformance-gryffindor/harry-potter-0, network-policy-conformance-gryffindor/harry-potter-1, which no NetworkPolicy isolates: name lookups will fail unless a NetworkPolicy or an Admin-tier rule allows them"],
            findings);
    }

    [Fact]
    public void A_Baseline_DNS_denial_is_not_reported_for_pods_a_NetworkPolicy_isolates()
    {
        const string AllowDns = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: dns, namespace: network-policy-conformance-gryffindor}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress: [{ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]
            """;

        Assert.Empty(Findings(AllowDns, Baseline("default", 0).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Deny, [Namespaces(KubeSystem)])));
    }
}
