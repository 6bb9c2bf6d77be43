using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;
using static Maille.TestKit.ConformanceCluster;
using static Maille.TestKit.ClusterNetworkPolicyBuilder;

namespace Maille.Engine.Tests.ClusterNetworkPolicies;

/// <summary>
/// One test per rule of the evaluation order (docs/cluster-network-policy.md), in the conformance world: per
/// direction, the Admin tier by priority (then name), rules in order, first match decides, Accept and Deny final, Pass
/// on to NetworkPolicy; NetworkPolicy decides for the pods it isolates; then the Baseline tier; then allowed.
/// </summary>
public sealed class EvaluationOrderTests
{
    private const string Harry = "gryffindor/harry-potter-0";
    private const string Draco = "slytherin/draco-malfoy-0";

    /// <summary>A NetworkPolicy isolating slytherin's pods for ingress and allowing only <paramref name="from"/> houses.</summary>
    private static string SlytherinIngressFrom(params string[] from) => $$"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: only, namespace: network-policy-conformance-slytherin}
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress: [{{string.Join(", ", from.Select(h => $"{{from: [{{namespaceSelector: {{matchLabels: {{conformance-house: {h}}}}}}}]}}"))}}]
        """;

    private static ConformanceWorld World(string[] networkPolicies, params ClusterNetworkPolicyBuilder[] policies) =>
        ConformanceWorld.With(new ConformanceManifests(policies, networkPolicies));

    [Fact]
    public void Admin_Accept_decides_before_NetworkPolicy_which_would_deny()
    {
        var world = World([SlytherinIngressFrom()], Admin("let-gryffindor-in", 5).SubjectNamespaces(Slytherin).Ingress("from-gryffindor", ClusterPolicyAction.Accept, [Namespaces(Gryffindor)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        var ingress = world.Verdict(Harry, Draco, 80, Protocol.TCP).Ingress;
        Assert.Equal(DecidingTier.Admin, ingress.Tier);
        Assert.Equal("ingress: accepted by Admin tier priority 5 let-gryffindor-in ingress rule 0 \"from-gryffindor\" (Accept) peer 0 any port", ingress.ToString());
    }

    [Fact]
    public void Admin_Deny_decides_before_NetworkPolicy_which_would_allow()
    {
        var world = World([SlytherinIngressFrom("gryffindor")], Admin("keep-out", 5).SubjectNamespaces(Slytherin).Ingress(null, ClusterPolicyAction.Deny, [Namespaces(Gryffindor)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, false);
        Assert.Equal(DecidingTier.Admin, world.Verdict(Harry, Draco, 80, Protocol.TCP).Ingress.Tier);
    }

    [Fact]
    public void Within_the_Admin_tier_the_lower_priority_number_decides()
    {
        var world = World([], Admin("deny", 5).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Deny, [Namespaces(Slytherin)]),
            Admin("accept", 6).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Accept, [Namespaces(Slytherin)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, false);
        world.SetPriority("accept", 4);
        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
    }

    [Fact]
    public void At_equal_priority_the_policy_whose_name_sorts_first_decides()
    {
        var world = World([], Admin("b-deny", 5).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Deny, [Namespaces(Slytherin)]),
            Admin("a-accept", 5).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Accept, [Namespaces(Slytherin)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        Assert.Equal("a-accept", world.Verdict(Harry, Draco, 80, Protocol.TCP).Egress.DecidedBy!.Policy);
    }

    [Fact]
    public void Within_a_policy_the_first_rule_that_matches_decides()
    {
        var world = World([], Admin("p", 5).SubjectNamespaces(Gryffindor)
            .Egress("deny-80", ClusterPolicyAction.Deny, [Namespaces(Slytherin)], Port(Protocol.TCP, 80))
            .Egress("accept-all", ClusterPolicyAction.Accept, [Namespaces(Slytherin)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, false);
        world.Expect(Harry, Draco, 8080, Protocol.TCP, true);
        world.SwapRules("p", PolicyDirection.Egress, 0, 1);
        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
    }

    [Fact]
    public void Pass_skips_the_rest_of_the_Admin_tier_and_NetworkPolicy_decides()
    {
        var world = World([SlytherinIngressFrom("gryffindor")],
            Admin("pass", 1).SubjectNamespaces(Slytherin).Ingress("pass-gryffindor", ClusterPolicyAction.Pass, [Namespaces(Gryffindor)]),
            Admin("deny", 2).SubjectNamespaces(Slytherin).Ingress(null, ClusterPolicyAction.Deny, [Namespaces()]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        var ingress = world.Verdict(Harry, Draco, 80, Protocol.TCP).Ingress;
        Assert.Equal((DecidingTier.NetworkPolicy, "pass"), (ingress.Tier, ingress.PassedBy!.Policy));
        world.Expect("hufflepuff/cedric-diggory-0", Draco, 80, Protocol.TCP, false);
    }

    [Fact]
    public void NetworkPolicy_decides_for_a_pod_it_isolates_and_the_Baseline_tier_is_not_consulted()
    {
        var world = World([SlytherinIngressFrom("gryffindor")],
            Baseline("default", 0).SubjectNamespaces(Slytherin)
                .Ingress(null, ClusterPolicyAction.Deny, [Namespaces(Gryffindor)])
                .Ingress(null, ClusterPolicyAction.Accept, [Namespaces()]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-0", Draco, 80, Protocol.TCP, false);
    }

    [Fact]
    public void The_Baseline_tier_decides_for_a_pod_NetworkPolicy_does_not_isolate()
    {
        var world = World([], Baseline("default", 0).SubjectNamespaces(Slytherin).Ingress("no-gryffindor", ClusterPolicyAction.Deny, [Namespaces(Gryffindor)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, false);
        Assert.Equal(
            "ingress: not isolated; denied by Baseline tier priority 0 default ingress rule 0 \"no-gryffindor\" (Deny) peer 0 any port",
            world.Verdict(Harry, Draco, 80, Protocol.TCP).Ingress.ToString());
        world.Expect("ravenclaw/luna-lovegood-0", Draco, 80, Protocol.TCP, true);
    }

    [Fact]
    public void Within_the_Baseline_tier_the_lower_priority_number_decides_and_Pass_leaves_it_to_the_default()
    {
        var world = World([], Baseline("pass", 1).SubjectNamespaces(Slytherin).Ingress(null, ClusterPolicyAction.Pass, [Namespaces(Gryffindor)]),
            Baseline("deny", 2).SubjectNamespaces(Slytherin).Ingress(null, ClusterPolicyAction.Deny, [Namespaces()]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        world.Expect("ravenclaw/luna-lovegood-0", Draco, 80, Protocol.TCP, false);
    }

    [Fact]
    public void Nothing_matching_is_allowed_by_default()
    {
        var world = World([], Admin("p", 1).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Deny, [Namespaces(("conformance-house", "ravenclaw"))]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, true);
        Assert.Equal(DecidingTier.Default, world.Verdict(Harry, Draco, 80, Protocol.TCP).Egress.Tier);
    }

    [Fact]
    public void The_two_directions_are_decided_apart_an_egress_Accept_does_not_open_the_destination_s_ingress()
    {
        var world = World([], Admin("out", 1).SubjectNamespaces(Gryffindor).Egress(null, ClusterPolicyAction.Accept, [Namespaces(Slytherin)]),
            Admin("in", 2).SubjectNamespaces(Slytherin).Ingress(null, ClusterPolicyAction.Deny, [Namespaces(Gryffindor)]));

        world.Expect(Harry, Draco, 80, Protocol.TCP, false);
        var verdict = world.Verdict(Harry, Draco, 80, Protocol.TCP);
        Assert.Equal((true, false), (verdict.Egress.Allowed, verdict.Ingress.Allowed));
    }

    [Fact]
    public void Hostnetwork_pods_are_never_subjects()
    {
        var world = World([], Admin("p", 1).SubjectNamespaces(("conformance-house", "forbidden-forrest")).Egress(null, ClusterPolicyAction.Deny, [Namespaces()]));

        Assert.Equal(DecidingTier.Default, world.Verdict("forbidden-forrest/centaur-0", Harry, 80, Protocol.TCP).Egress.Tier);
    }
}
