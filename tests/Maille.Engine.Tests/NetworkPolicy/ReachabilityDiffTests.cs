using Maille.Engine.NetworkPolicies;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// <see cref="ReachabilityDiff"/> on the playground (namespaces x, y, z; pods a, b, c each serving 80 and 81 over TCP
/// and UDP): which connections a change of policies gains and loses, and the rules named on each side; and, on every
/// two-step scenario and on random pairs of policy sets, that its groups expand to exactly the cells in which the two
/// matrices differ.
/// </summary>
public sealed class ReachabilityDiffTests
{
    private static readonly PortProtocol Tcp80 = new(80, Protocol.TCP);
    private static readonly PortProtocol Tcp81 = new(81, Protocol.TCP);

    [Fact]
    public void Moving_an_allowed_port_loses_the_old_port_and_gains_the_new_one_each_with_the_rule_on_the_allowing_side()
    {
        var current = Playground.With(PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "80").Yaml + "\n---\n" + PolicyYaml.Allow("a-from-x", "y", "pod=b", "ns=x", "9999").Yaml);
        var candidate = Playground.With(PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "81").Yaml + "\n---\n" + PolicyYaml.Allow("a-from-x", "y", "pod=b", "ns=x", "9999").Yaml);

        var diff = ReachabilityDiff.Compute(current.Cluster, candidate.Cluster, [Tcp80, Tcp81]);

        // Only y/a matches pod=a in y's own namespace: the one connection moves from 80 to 81.
        var change = Assert.Single(diff.Changes, c => c.Port == Tcp80);
        Assert.Equal((ReachabilityChangeKind.Lost, "y/a", "y/b", 1L), (change.Kind, change.From.Pods.Single(), change.To.Pods.Single(), change.Connections));
        Assert.Equal(new RuleRef("y", "allow-a", PolicyDirection.Ingress, 0, 0, 0), change.Current!.Ingress.AllowedBy);
        Assert.Equal(["y/a-from-x", "y/allow-a"], change.Candidate!.Ingress.IsolatedBy.ToArray());
        Assert.Null(change.Candidate.Ingress.AllowedBy);

        var gained = Assert.Single(diff.Changes, c => c.Port == Tcp81);
        Assert.Equal((ReachabilityChangeKind.Gained, "y/a", "y/b"), (gained.Kind, gained.From.Pods.Single(), gained.To.Pods.Single()));
        Assert.Equal(new RuleRef("y", "allow-a", PolicyDirection.Ingress, 0, 0, 0), gained.Candidate!.Ingress.AllowedBy);
        Assert.Equal((1L, 1L), (diff.Gained, diff.Lost));
    }

    [Fact]
    public void A_namespace_default_deny_loses_every_connection_into_it_from_other_pods_on_every_port()
    {
        var current = Playground.With();
        var candidate = Playground.With(PolicyYaml.DenyIngress("z").Yaml);

        var diff = ReachabilityDiff.Compute(current.Cluster, candidate.Cluster);

        // 3 pods of z, each reached by the 8 other pods, on 80 and 81 over TCP and UDP; nothing gained.
        Assert.Equal(4, diff.Ports.Length);
        Assert.Equal(3 * 8 * 4, diff.Lost);
        Assert.Equal(0, diff.Gained);
        Assert.All(diff.Changes, c =>
        {
            Assert.Equal(("z", ReachabilityChangeKind.Lost), (c.To.Namespace, c.Kind));
            Assert.Equal(["z/default-deny-ingress"], c.Candidate!.Ingress.IsolatedBy.ToArray());
            Assert.False(c.Candidate.Ingress.Allowed);
            Assert.True(c.Current!.Allowed);
        });
    }

    [Fact]
    public void The_same_manifests_differ_in_nothing()
    {
        var policies = PolicyYaml.Allow("allow-a", "y", "pod=b", "pod=a", "80").Yaml;

        var diff = ReachabilityDiff.Compute(Playground.With(policies).Cluster, Playground.With(policies).Cluster);

        Assert.True(diff.IsEmpty);
        Assert.Equal(9, diff.Groups.Length);
    }

    [Fact]
    public void Pods_alike_before_and_after_are_one_group_and_a_new_pod_gains_its_connections_whole()
    {
        var replicas = DeploymentYaml.Of("web", "x", 4, "app=web", "[{containerPort: 80}]");
        const string Newcomer = """
            apiVersion: v1
            kind: Pod
            metadata: {name: new, namespace: y, labels: {pod: new}}
            spec: {containers: [{name: c}]}
            """;
        var current = Playground.With(replicas);
        var candidate = Playground.With(replicas + "\n---\n" + Newcomer + "\n---\n" + PolicyYaml.Allow("web-from-a", "x", "app=web", "pod=a", "80").Yaml);

        var diff = ReachabilityDiff.Compute(current.Cluster, candidate.Cluster, [Tcp80]);

        var web = Assert.Single(diff.Groups, g => g.Labels.Get("app") == "web");
        Assert.Equal(4, web.Pods.Length);

        // Into web: every pod but x/a is refused now (x/b, x/c, y/*, z/*: 8 pods × 4 replicas, and the replicas among
        // themselves 4 × 3); the newcomer has no connection before, and is refused too.
        var lostIntoWeb = diff.Changes.Where(c => c.To == web && c.Kind == ReachabilityChangeKind.Lost).ToList();
        Assert.Equal((8 * 4) + (4 * 3), lostIntoWeb.Sum(c => c.Connections));
        Assert.Contains(lostIntoWeb, c => c.From == web && c.Connections == 4 * 3);

        // The newcomer gains every connection it can make and take, except into web (refused by web-from-a).
        var newcomer = Assert.Single(diff.Groups, g => g.Pods.Contains("y/new"));
        Assert.Equal((false, true), (newcomer.InCurrent, newcomer.InCandidate));
        Assert.All(diff.Changes.Where(c => c.From == newcomer || c.To == newcomer), c =>
        {
            Assert.Equal(ReachabilityChangeKind.Gained, c.Kind);
            Assert.Null(c.Current);
        });
        // Out: to the 9 playground pods (not the 4 web replicas); in: from all 13.
        Assert.Equal(9 + 13, diff.Changes.Where(c => c.From == newcomer || c.To == newcomer).Sum(c => c.Connections));
    }

    public static TheoryData<string> TwoStepScenarios() => new(PlaygroundScenario.TwoStepNames());

    [Theory]
    [MemberData(nameof(TwoStepScenarios))]
    public void Each_two_step_scenario_differs_in_exactly_the_cells_its_two_matrices_differ_in(string name)
    {
        var scenario = PlaygroundScenario.Load(name);

        AssertDiffIsTheCellDifference(scenario.Plan(1), scenario.Plan(2));
    }

    [Fact]
    public void Random_policy_sets_differ_in_exactly_the_cells_their_matrices_differ_in()
    {
        // Three replicas labelled pod=d in x, which the random policies also select and admit: groups of several pods.
        var replicas = DeploymentYaml.Of("d", "x", 3, "pod=d", "[{name: serve-80-tcp, containerPort: 80}, {name: serve-81-udp, containerPort: 81, protocol: UDP}]");
        for (var seed = 0; seed < 40; seed++)
        {
            var current = Playground.With(replicas + "\n---\n" + RandomPolicies.Yaml(seed));
            var candidate = Playground.With(replicas + "\n---\n" + RandomPolicies.Yaml(seed + 1000));
            AssertDiffIsTheCellDifference(current.Cluster, candidate.Cluster);
        }
    }

    /// <summary>The diff's changes, expanded from groups to pod pairs, are the cells where the two matrices disagree (and each side's verdict is that cell's).</summary>
    private static void AssertDiffIsTheCellDifference(ClusterState current, ClusterState candidate)
    {
        var diff = ReachabilityDiff.Compute(current, candidate);
        var before = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(current), current.Pods, diff.Ports);
        var after = ReachabilityMatrix.Compute(NetworkPolicyEvaluator.For(candidate), candidate.Pods, diff.Ports);
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        for (var port = 0; port < diff.Ports.Length; port++)
        {
            foreach (var from in before.Pods.Select(p => p.QualifiedName))
            {
                foreach (var to in before.Pods.Select(p => p.QualifiedName).Where(to => to != from))
                {
                    var was = Allowed(before, port, from, to);
                    if (was != Allowed(after, port, from, to))
                    {
                        expected.Add($"{diff.Ports[port]} {from} -> {to} {(was ? "lost" : "gained")}");
                    }
                }
            }
        }

        var actual = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var change in diff.Changes)
        {
            foreach (var from in change.From.Pods)
            {
                foreach (var to in change.To.Pods.Where(to => to != from))
                {
                    Assert.True(actual.Add($"{change.Port} {from} -> {to} {(change.Kind == ReachabilityChangeKind.Gained ? "gained" : "lost")}"));
                }
            }

            Assert.Equal(change.Kind == ReachabilityChangeKind.Lost, change.Current!.Allowed);
            Assert.Equal(change.Kind == ReachabilityChangeKind.Gained, change.Candidate!.Allowed);
        }

        Assert.Equal(expected, actual);
    }

    private static bool Allowed(ReachabilityMatrix matrix, int port, string from, string to) =>
        matrix.IsAllowed(port, matrix.Pods.IndexOf(matrix.Pods.Single(p => p.QualifiedName == from)), matrix.Pods.IndexOf(matrix.Pods.Single(p => p.QualifiedName == to)));
}
