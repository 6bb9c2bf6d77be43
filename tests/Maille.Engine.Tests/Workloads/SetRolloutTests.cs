using System.Globalization;
using System.Text;
using Maille.Engine.Workloads;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Workloads;

/// <summary>
/// The StatefulSet and DaemonSet controllers' update decisions, checked against kube-controller-manager's
/// (pkg/controller/statefulset, pkg/controller/daemon/update.go), and how ControllerRevisions are named
/// (pkg/controller/history): one rule per test, on sets whose pods are all recorded at revision "old".
/// </summary>
public sealed class SetRolloutTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    private static Workload StatefulSet(int replicas, string strategy = "{type: RollingUpdate}", string policy = "OrderedReady", string? recorded = null) =>
        Cluster.Valid(StatefulSetYaml(replicas, policy, recorded, strategy)).Workloads.Single();

    /// <param name="recorded">The pods its controller recorded (<see cref="SetRevisions.PodRevisionsAnnotation"/>), as on a set a lab created; null: none (a set read from files).</param>
    private static string StatefulSetYaml(int replicas, string policy, string? recorded, string strategy = "{type: RollingUpdate}") => $$$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default{{{(recorded is null ? "" : $", annotations: {{{SetRevisions.PodRevisionsAnnotation}: \"{recorded}\"}}")}}}}
        spec:
          podManagementPolicy: {{{policy}}}
          replicas: {{{replicas}}}
          serviceName: db
          updateStrategy: {{{strategy}}}
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: c, image: "db:2"}]}
        """;

    private static Workload DaemonSet(string strategy = "{type: RollingUpdate}") => Cluster.Valid($$$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: default}
        spec:
          updateStrategy: {{{strategy}}}
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: c, image: "agent:2"}]}
        """).Workloads.Single();

    private static List<SetPod> Old(int count) => [.. Enumerable.Repeat(new SetPod("old"), count)];

    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    private static List<SetPod> OldOnNodes() => [.. Nodes.Select(n => new SetPod("old", n))];

    [Fact]
    public void An_ordered_ready_statefulset_makes_one_pod_at_a_time_each_once_all_before_it_are_available()
    {
        var set = StatefulSet(3, recorded: "");
        var first = StatefulSetRollout.Step(set, "new", "new", [], _ => false, Now)!;
        Assert.Equal(["new"], first.Pods.Select(p => p.Revision));

        // db-0 is not available yet: db-1 waits.
        Assert.Null(StatefulSetRollout.Step(set, "new", "new", first.Pods, _ => false, Now));
        var second = StatefulSetRollout.Step(set, "new", "new", first.Pods, i => i == 0, Now)!;
        Assert.Equal(2, second.Pods.Count);
        Assert.Null(StatefulSetRollout.Step(set, "new", "new", second.Pods, i => i == 1, Now));
        Assert.Equal(3, StatefulSetRollout.Step(set, "new", "new", second.Pods, _ => true, Now)!.Pods.Count);
        // The engine plans the pods recorded, no more.
        Assert.Equal(["db-0", "db-1"], Cluster.Valid(StatefulSetYaml(3, "OrderedReady", SetRevisions.Format(second.Pods))).Pods.Select(p => p.Name));
    }

    [Fact]
    public void An_ordered_ready_statefulset_scaled_down_removes_its_highest_ordinal_first_one_at_a_time()
    {
        var set = StatefulSet(1, recorded: "old,old,old");
        var first = StatefulSetRollout.Step(set, "old", "old", Old(3), _ => true, Now)!;
        Assert.Equal(2, first.Pods.Count);
        // db-1 is not available: db-1 is not the highest pod to go before it is healthy again (the controller waits).
        Assert.Null(StatefulSetRollout.Step(set, "old", "old", first.Pods, i => i != 0, Now));
        Assert.Single(StatefulSetRollout.Step(set, "old", "old", first.Pods, _ => true, Now)!.Pods);
    }

    [Fact]
    public void A_parallel_statefulset_makes_and_removes_all_its_pods_at_once()
    {
        var up = StatefulSet(3, policy: "Parallel", recorded: "");
        Assert.Equal(3, StatefulSetRollout.Step(up, "new", "new", [], _ => false, Now)!.Pods.Count);
        var down = StatefulSet(1, policy: "Parallel", recorded: "old,old,old");
        Assert.Single(StatefulSetRollout.Step(down, "old", "old", Old(3), _ => false, Now)!.Pods);
    }

    [Fact]
    public void A_statefulset_read_from_files_has_all_its_replicas_and_records_them_at_once()
    {
        var set = StatefulSet(3);
        Assert.Equal(3, Cluster.Valid(StatefulSetYaml(3, "OrderedReady", recorded: null)).Pods.Count);
        Assert.Equal(3, StatefulSetRollout.Step(set, "new", "new", [], _ => false, Now)!.Pods.Count);
    }

    [Fact]
    public void A_statefulset_replaces_its_highest_ordinal_first_and_waits_for_it_to_be_available()
    {
        var set = StatefulSet(3);
        var first = StatefulSetRollout.Step(set, "new", "old", Old(3), _ => true, Now)!;
        Assert.Equal(["old", "old", "new"], first.Pods.Select(p => p.Revision));

        // db-2 is not available yet: nothing moves.
        Assert.Null(StatefulSetRollout.Step(set, "new", "old", first.Pods, i => i != 2, Now));
        var second = StatefulSetRollout.Step(set, "new", "old", first.Pods, _ => true, Now)!;
        Assert.Equal(["old", "new", "new"], second.Pods.Select(p => p.Revision));
    }

    [Fact]
    public void A_statefulset_replaces_as_many_pods_at_once_as_max_unavailable_allows()
    {
        var set = StatefulSet(4, "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}");
        var step = StatefulSetRollout.Step(set, "new", "old", Old(4), _ => true, Now)!;
        Assert.Equal(["old", "old", "new", "new"], step.Pods.Select(p => p.Revision));
        // Both replaced pods unavailable: the budget is spent; one of them back, one more is replaced.
        Assert.Null(StatefulSetRollout.Step(set, "new", "old", step.Pods, i => i < 2, Now));
        Assert.Equal(["old", "new", "new", "new"], StatefulSetRollout.Step(set, "new", "old", step.Pods, i => i != 3, Now)!.Pods.Select(p => p.Revision));
    }

    [Fact]
    public void A_statefulset_leaves_ordinals_below_its_partition_at_their_revision()
    {
        var set = StatefulSet(3, "{type: RollingUpdate, rollingUpdate: {partition: 2}}");
        var step = StatefulSetRollout.Step(set, "new", "old", Old(3), _ => true, Now)!;
        Assert.Equal(["old", "old", "new"], step.Pods.Select(p => p.Revision));
        Assert.Null(StatefulSetRollout.Step(set, "new", "old", step.Pods, _ => true, Now));
    }

    [Fact]
    public void An_on_delete_statefulset_replaces_no_pod_until_one_is_deleted_which_comes_back_at_the_update_revision_with_a_new_creation_time()
    {
        var set = StatefulSet(3, "{type: OnDelete}");
        Assert.Null(StatefulSetRollout.Step(set, "new", "old", Old(3), _ => true, Now));
        var after = StatefulSetRollout.AfterDeleting(set, "new", "old", Old(3), 1, Now);
        Assert.Equal(["old", "new", "old"], after.Select(p => p.Revision));
        Assert.Equal(Now, after[1].Created);
    }

    [Fact]
    public void A_deleted_statefulset_pod_below_the_partition_comes_back_at_the_current_revision()
    {
        var set = StatefulSet(3, "{type: RollingUpdate, rollingUpdate: {partition: 2}}");
        var after = StatefulSetRollout.AfterDeleting(set, "new", "old", [new("old"), new("old"), new("new")], 0, Now);
        Assert.Equal(["old", "old", "new"], after.Select(p => p.Revision));
        Assert.NotNull(after[0].Created);
    }

    [Fact]
    public void A_statefulset_scaled_up_makes_new_ordinals_at_the_update_revision()
    {
        var step = StatefulSetRollout.Step(StatefulSet(3), "new", "old", Old(2), _ => true, Now)!;
        Assert.Equal(["old", "old", "new"], step.Pods.Select(p => p.Revision));
    }

    [Fact]
    public void A_daemonset_replaces_pods_node_by_node_within_max_unavailable()
    {
        var set = DaemonSet();
        var first = DaemonSetRollout.Step(set, "new", Nodes, OldOnNodes(), _ => true)!;
        var replaced = Assert.Single(first.Pods, p => p.Revision == "new");
        Assert.Equal(("n1", 1), (replaced.Node, replaced.Generation));

        // n1's new pod is not available yet: with maxUnavailable 1, nothing more moves.
        Assert.Null(DaemonSetRollout.Step(set, "new", Nodes, first.Pods, p => p.Revision == "old"));
        var second = DaemonSetRollout.Step(set, "new", Nodes, first.Pods, _ => true)!;
        Assert.Equal(["n1", "n2"], second.Pods.Where(p => p.Revision == "new").Select(p => p.Node!));
    }

    [Fact]
    public void A_daemonset_replaces_an_old_pod_that_is_not_available_whatever_the_budget()
    {
        var step = DaemonSetRollout.Step(DaemonSet(), "new", Nodes, OldOnNodes(), p => p.Node != "n3")!;
        Assert.Equal(["n3"], step.Pods.Where(p => p.Revision == "new").Select(p => p.Node!));
    }

    [Fact]
    public void A_daemonset_with_surge_starts_a_new_pod_beside_the_old_and_deletes_the_old_once_the_new_is_available()
    {
        var set = DaemonSet("{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}");
        var surged = DaemonSetRollout.Step(set, "new", Nodes, OldOnNodes(), _ => true)!;
        Assert.Equal(4, surged.Pods.Count);
        Assert.Equal(2, surged.Pods.Count(p => p.Node == "n1"));

        // The new pod is not available: the old one stays and no other node surges.
        Assert.Null(DaemonSetRollout.Step(set, "new", Nodes, surged.Pods, p => p.Revision == "old"));
        var swapped = DaemonSetRollout.Step(set, "new", Nodes, surged.Pods, _ => true)!;
        Assert.Equal([("n1", "new"), ("n2", "old"), ("n3", "old")], swapped.Pods.Select(p => (p.Node!, p.Revision)));
    }

    [Fact]
    public void An_on_delete_daemonset_replaces_a_pod_only_when_deleted_on_the_same_node_under_a_new_name()
    {
        var set = DaemonSet("{type: OnDelete}");
        Assert.Null(DaemonSetRollout.Step(set, "new", Nodes, OldOnNodes(), _ => true));
        var after = DaemonSetRollout.AfterDeleting("new", OldOnNodes(), new SetPod("old", "n2"));
        var remade = Assert.Single(after, p => p.Node == "n2");
        Assert.Equal(("new", 1), (remade.Revision, remade.Generation));
        Assert.NotEqual(DaemonSetRollout.PodName(set, new SetPod("old", "n2")), DaemonSetRollout.PodName(set, remade));
    }

    [Fact]
    public void A_daemonset_gets_a_pod_on_a_new_node_and_loses_the_one_on_a_node_that_left()
    {
        var step = DaemonSetRollout.Step(DaemonSet(), "new", ["n1", "n2", "n4"], OldOnNodes(), _ => true)!;
        Assert.Equal([("n1", "old"), ("n2", "old"), ("n4", "new")], step.Pods.Select(p => (p.Node!, p.Revision)));
    }

    [Fact]
    public void Pod_revisions_survive_their_annotation()
    {
        SetPod[] pods = [new("db-abc"), new("db-def", Created: Now)];
        var set = StatefulSet(2) is var s ? s with { Meta = s.Meta with { Annotations = s.Meta.Annotations.With(SetRevisions.PodRevisionsAnnotation, SetRevisions.Format(pods)) } } : null!;
        Assert.Equal(pods, SetRevisions.Pods(set));
        SetPod[] daemons = [new("agent-abc", "n1", 0), new("agent-def", "n1", 1)];
        var ds = DaemonSet() is var d ? d with { Meta = d.Meta with { Annotations = d.Meta.Annotations.With(SetRevisions.PodRevisionsAnnotation, SetRevisions.Format(daemons)) } } : null!;
        Assert.Equal(daemons, SetRevisions.Pods(ds));
    }

    [Fact]
    public void A_revision_is_named_from_the_fnv1_hash_of_its_data_safely_encoded()
    {
        // FNV-1 (32-bit) of "a" is 0x050c5d7e = 84696446; each decimal digit maps into "bcdfghjklmnpqrstvwxz2456789".
        Assert.Equal("d8bfb88b", ControllerRevisionHash.Of(Encoding.ASCII.GetBytes("a"), null));
        // The collision count is hashed after the data as decimal text.
        Assert.Equal(ControllerRevisionHash.Of(Encoding.ASCII.GetBytes("a0"), null), ControllerRevisionHash.Of(Encoding.ASCII.GetBytes("a"), 0));
        Assert.Equal("web-d8bfb88b", ControllerRevisionHash.Name("web", "d8bfb88b"));
        Assert.Equal(223 + 1 + 8, ControllerRevisionHash.Name(new string('w', 300), "d8bfb88b").Length);
    }
}
