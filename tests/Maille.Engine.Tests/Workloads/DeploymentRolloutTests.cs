using Maille.Engine.Workloads;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Engine.Tests.Workloads;

/// <summary>
/// The Deployment controller's arithmetic, checked against kube-controller-manager's (pkg/controller/deployment): each
/// test runs <see cref="DeploymentRollout.Step"/> to its end on a simulated kubelet, where a ReplicaSet's pods exist as
/// soon as it asks for them and become available one step later (or never, for a broken template).
/// </summary>
public sealed class DeploymentRolloutTests
{
    private static Workload Deployment(int replicas, string strategy = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}", string image = "web:2", string extra = "") =>
        Cluster.Valid($$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: {{{replicas}}}
              {{{extra}}}
              strategy: {{{strategy}}}
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: c, image: "{{{image}}}"}]}
            """).Workloads.Single();

    /// <summary>A settled old ReplicaSet: all its pods there and available.</summary>
    private static ReplicaSetView Settled(string name, int replicas, long revision) => new(name, replicas, revision, replicas, replicas, replicas, replicas);

    /// <summary>
    /// Steps until the controller has nothing left to do; after each step the kubelet makes the pods asked for and the
    /// pods that were there before the step become available (unless <paramref name="neverReady"/> names their set).
    /// Every state the cluster passes through is returned.
    /// </summary>
    private static List<IReadOnlyList<ReplicaSetView>> Run(Workload deployment, IReadOnlyList<ReplicaSetView> start, string? neverReady = null, int limit = 100)
    {
        var states = new List<IReadOnlyList<ReplicaSetView>> { start };
        var current = start;
        for (var i = 0; i < limit; i++)
        {
            var step = DeploymentRollout.Step(deployment, current);
            var next = step?.ReplicaSets ?? current;
            next = [.. next.Select(r => r with
            {
                Available = r.Name == neverReady ? 0 : Math.Min(r.Replicas, current.FirstOrDefault(c => c.Name == r.Name)?.Pods ?? 0),
                Pods = r.Replicas,
            })];
            if (step is null && next.SequenceEqual(current))
            {
                return states;
            }

            states.Add(next);
            current = next;
        }

        throw new InvalidOperationException("the rollout did not settle");
    }

    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("50%", 3, true, 2)]
    [InlineData("50%", 3, false, 1)]
    [InlineData("2", 10, true, 2)]
    [InlineData("0%", 10, true, 0)]
    public void Max_surge_rounds_up_and_max_unavailable_rounds_down_as_the_api_does(string value, int replicas, bool roundUp, int expected) =>
        Assert.Equal(expected, RolloutFenceposts.Scaled(value, replicas, roundUp));

    [Fact]
    public void When_surge_and_unavailable_both_come_to_zero_one_pod_may_be_unavailable()
    {
        var fence = RolloutFenceposts.Of(Deployment(3, "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 10%}}"));
        Assert.Equal(new RolloutFenceposts(0, 1), fence);
    }

    [Fact]
    public void A_deployment_without_replicasets_gets_one_named_as_the_engine_names_its_pods_owner()
    {
        var deployment = Deployment(3);
        var step = DeploymentRollout.Step(deployment, [])!;
        var created = Assert.Single(step.ReplicaSets);
        Assert.Equal(Cluster.Valid(DeploymentYaml(3)).Pods[0].Owner!.Name.Length, created.Name.Length);
        Assert.Equal(DeploymentRollout.NewReplicaSetName(deployment), created.Name);
        Assert.Equal((3, 1L, 3, 4), (created.Replicas, created.Revision, created.DesiredReplicas!.Value, created.MaxReplicas!.Value));
    }

    [Fact]
    public void A_rolling_update_with_surge_1_and_unavailable_0_never_exceeds_5_pods_nor_drops_below_4_available()
    {
        var deployment = Deployment(4);
        var states = Run(deployment, [Settled("web-old", 4, 1)]);

        Assert.All(states, s => Assert.InRange(s.Sum(r => r.Replicas), 4, 5));
        Assert.All(states, s => Assert.True(s.Sum(r => r.Available) >= 4, $"available fell to {s.Sum(r => r.Available)}"));
        var end = states[^1];
        var newest = end.Single(r => r.Name == DeploymentRollout.NewReplicaSetName(deployment));
        Assert.Equal((4, 4, 2L), (newest.Replicas, newest.Available, newest.Revision));
        Assert.Equal(0, end.Single(r => r.Name == "web-old").Replicas);
        // One pod at a time: 4 scale-ups and 4 scale-downs after the new ReplicaSet is made.
        Assert.True(states.Count > 8, $"expected a stepwise roll, got {states.Count} states");
    }

    [Fact]
    public void A_rolling_update_with_default_25_percent_replaces_pods_in_steps_of_a_quarter()
    {
        var deployment = Deployment(8, "{type: RollingUpdate}");
        var states = Run(deployment, [Settled("web-old", 8, 1)]);
        Assert.All(states, s => Assert.InRange(s.Sum(r => r.Replicas), 8, 10));
        Assert.All(states, s => Assert.True(s.Sum(r => r.Available) >= 6));
        Assert.Equal(8, states[^1].Single(r => r.Name != "web-old").Available);
    }

    [Fact]
    public void A_new_template_that_never_becomes_ready_stops_the_rollout_with_the_old_pods_serving()
    {
        var deployment = Deployment(4);
        var newName = DeploymentRollout.NewReplicaSetName(deployment);
        var end = Run(deployment, [Settled("web-old", 4, 1)], neverReady: newName)[^1];
        Assert.Equal(4, end.Single(r => r.Name == "web-old").Replicas);
        Assert.Equal(1, end.Single(r => r.Name == newName).Replicas);
    }

    [Fact]
    public void Recreate_removes_every_old_pod_before_the_new_replicaset_is_made()
    {
        var deployment = Deployment(3, "{type: Recreate}");
        var newName = DeploymentRollout.NewReplicaSetName(deployment);
        var states = Run(deployment, [Settled("web-old", 3, 1)]);
        Assert.All(states, s => Assert.False(s.Any(r => r.Name == newName && r.Replicas > 0) && s.Single(r => r.Name == "web-old").Pods > 0, "new pods beside old ones"));
        Assert.Equal(3, states[^1].Single(r => r.Name == newName).Available);
    }

    [Fact]
    public void Scaling_mid_rollout_shares_the_new_replicas_in_proportion()
    {
        // Mid-rollout of 10 replicas (surge 3): the old set at 8, the new at 5, both sized for 10 (+3).
        var deployment = Deployment(20, "{type: RollingUpdate}");
        var newName = DeploymentRollout.NewReplicaSetName(deployment);
        var step = DeploymentRollout.Step(deployment, [new("web-old", 8, 1, 10, 13, 8, 8), new(newName, 5, 2, 10, 13, 5, 0)])!;
        var sizes = step.ReplicaSets.ToDictionary(r => r.Name, r => r.Replicas);
        // 20 + 5 surge allowed: 25 - 13 = 12 to add; old 8·25/13 = 15 (+7), new 5·25/13 = 10 (+5).
        Assert.Equal(25, sizes.Values.Sum());
        Assert.Equal((15, 10), (sizes["web-old"], sizes[newName]));
        Assert.All(step.ReplicaSets, r => Assert.Equal(20, r.DesiredReplicas));
    }

    [Fact]
    public void Scaling_a_settled_deployment_scales_its_one_replicaset()
    {
        var deployment = Deployment(6);
        var name = DeploymentRollout.NewReplicaSetName(deployment);
        var step = DeploymentRollout.Step(deployment, [Settled(name, 4, 1) with { DesiredReplicas = 4 }])!;
        Assert.Equal(6, Assert.Single(step.ReplicaSets).Replicas);
    }

    [Fact]
    public void Once_complete_old_replicasets_beyond_the_revision_history_limit_are_deleted_oldest_first()
    {
        var deployment = Deployment(2, extra: "revisionHistoryLimit: 1");
        var name = DeploymentRollout.NewReplicaSetName(deployment);
        var step = DeploymentRollout.Step(deployment, [Settled("web-a", 0, 1), Settled("web-b", 0, 2), Settled(name, 2, 3) with { DesiredReplicas = 2, MaxReplicas = 3 }])!;
        Assert.Equal(["web-b", name], step.ReplicaSets.Select(r => r.Name));
    }

    [Fact]
    public void Rolling_back_to_an_old_template_makes_its_replicaset_the_newest_revision_and_rolls_to_it()
    {
        var deployment = Deployment(2, image: "web:1");
        var back = DeploymentRollout.NewReplicaSetName(deployment);
        var step = DeploymentRollout.Step(deployment, [new(back, 0, 1, 2, 3, 0, 0), Settled("web-two", 2, 2)])!;
        Assert.Equal(3, step.ReplicaSets.Single(r => r.Name == back).Revision);
        var end = Run(deployment, step.ReplicaSets)[^1];
        Assert.Equal((2, 0), (end.Single(r => r.Name == back).Available, end.Single(r => r.Name == "web-two").Replicas));
    }

    [Fact]
    public void A_deployment_reports_updated_pods_and_conditions_from_its_replicasets()
    {
        var newName = DeploymentRollout.NewReplicaSetName(Deployment(3, "{type: RollingUpdate}"));
        var cluster = Cluster.Valid(string.Join("\n---\n", DeploymentYaml(3), OwnedReplicaSet("web-old", 2, "web:1"), OwnedReplicaSet(newName, 1, "web:2")));
        var deployment = cluster.Workloads.Single(w => w.Kind == WorkloadKind.Deployment);
        var status = WorkloadStatus.Of(deployment, cluster);

        Assert.Equal((3, 3, 1, 3), (status.Current, status.Ready, status.Updated, status.Available));
        var conditions = DeploymentRollout.Conditions(deployment, status);
        Assert.Equal(("Available", true, "MinimumReplicasAvailable"), (conditions[0].Type, conditions[0].Status, conditions[0].Reason));
        Assert.Equal(("Progressing", true, "ReplicaSetUpdated"), (conditions[1].Type, conditions[1].Status, conditions[1].Reason));
        Assert.False(DeploymentRollout.IsComplete(deployment, status));
        Assert.Equal(["web-old", DeploymentRollout.NewReplicaSetName(deployment)], WorkloadStatus.ReplicaSets(cluster).Select(r => r.Meta.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_deployment_without_replicaset_objects_is_complete_once_its_pods_are_ready()
    {
        var cluster = Cluster.Valid(DeploymentYaml(3));
        var deployment = cluster.Workloads.Single();
        var status = WorkloadStatus.Of(deployment, cluster);
        Assert.Equal((3, 3, 0), (status.Updated, status.Available, status.Unavailable));
        Assert.True(DeploymentRollout.IsComplete(deployment, status));
        Assert.Equal("NewReplicaSetAvailable", DeploymentRollout.Conditions(deployment, status)[1].Reason);
    }

    [Fact]
    public void A_deleted_replicaset_pod_is_replaced_by_one_of_a_new_name_and_the_others_keep_theirs()
    {
        var replicaSet = WorkloadStatus.ReplicaSets(Cluster.Valid(DeploymentYaml(3))).Single();
        var before = ReplicaSetPodNames.Of(replicaSet).ToList();
        var replaced = ReplicaSetPodNames.AfterDeleting(replicaSet, before[1])!;
        var after = ReplicaSetPodNames.Of(replicaSet with { Meta = replicaSet.Meta with { Annotations = replicaSet.Meta.Annotations.With(ReplicaSetPodNames.ReplacedPodsAnnotation, replaced) } }).ToList();

        Assert.Equal("1", replaced);
        Assert.Equal(3, after.Count);
        Assert.Equal([before[0], before[2]], after.Intersect(before));
        Assert.DoesNotContain(before[1], after);
        Assert.Null(ReplicaSetPodNames.AfterDeleting(replicaSet, "web-other"));
    }

    [Fact]
    public void A_paused_deployment_starts_no_rollout_of_a_new_template()
    {
        var paused = Deployment(3, extra: "paused: true");
        Assert.Null(DeploymentRollout.Step(paused, [Settled("web-old", 3, 1) with { DesiredReplicas = 3 }]));

        // Resumed, the same state rolls: the new ReplicaSet is made.
        var resumed = DeploymentRollout.Step(Deployment(3), [Settled("web-old", 3, 1) with { DesiredReplicas = 3 }])!;
        Assert.Contains(resumed.ReplicaSets, r => r.Name == DeploymentRollout.NewReplicaSetName(Deployment(3)));
    }

    [Fact]
    public void A_paused_deployment_mid_rollout_stays_where_it_is()
    {
        var paused = Deployment(4, extra: "paused: true");
        var newName = DeploymentRollout.NewReplicaSetName(paused);
        Assert.Null(DeploymentRollout.Step(paused, [new("web-old", 3, 1, 4, 5, 3, 3), new(newName, 2, 2, 4, 5, 2, 2)]));
    }

    [Fact]
    public void A_paused_deployment_still_scales()
    {
        var paused = Deployment(6, extra: "paused: true");
        var step = DeploymentRollout.Step(paused, [Settled("web-old", 4, 1) with { DesiredReplicas = 4 }])!;
        Assert.Equal(6, Assert.Single(step.ReplicaSets).Replicas);
    }

    [Fact]
    public void A_paused_deployment_reports_progressing_unknown_with_reason_deployment_paused()
    {
        var paused = Deployment(3, extra: "paused: true");
        var progressing = DeploymentRollout.Conditions(paused, new WorkloadStatus(3, 3, 3) { Updated = 0 })[1];
        Assert.Equal(("Progressing", (bool?)null, "Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Type, progressing.Status, progressing.StatusText, progressing.Reason, progressing.Message));
    }

    [Fact]
    public void A_deployment_marked_past_its_deadline_reports_progress_deadline_exceeded_until_complete()
    {
        var marked = Deployment(3, extra: "progressDeadlineSeconds: 30") is var d
            ? d with { Meta = d.Meta with { Annotations = d.Meta.Annotations.With(DeploymentRollout.ProgressDeadlineExceededAnnotation, "2026-01-01T00:00:30Z") } }
            : null!;
        var stuck = DeploymentRollout.Conditions(marked, new WorkloadStatus(3, 4, 3) { Updated = 1, Available = 3 })[1];
        Assert.Equal(("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{DeploymentRollout.NewReplicaSetName(marked)}\" has timed out progressing."), (stuck.StatusText, stuck.Reason, stuck.Message));
        Assert.Equal("NewReplicaSetAvailable", DeploymentRollout.Conditions(marked, new WorkloadStatus(3, 3, 3))[1].Reason);
    }

    [Fact]
    public void A_rollout_that_makes_no_progress_for_its_deadline_is_exceeded_and_not_before()
    {
        var deployment = Deployment(3, extra: "progressDeadlineSeconds: 30");
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var stuck = new WorkloadStatus(3, 4, 3) { Updated = 1, Available = 3 };
        var progress = DeploymentProgress.Observe(null, deployment, stuck, t0);
        progress = DeploymentProgress.Observe(progress, deployment, stuck, t0.AddSeconds(20));

        Assert.Equal(t0.AddSeconds(30), progress.Deadline(deployment));
        Assert.False(progress.IsExceeded(deployment, t0.AddSeconds(30)));
        Assert.True(progress.IsExceeded(deployment, t0.AddSeconds(31)));
    }

    [Fact]
    public void More_pods_updated_or_available_restart_the_deadline_clock()
    {
        var deployment = Deployment(3, extra: "progressDeadlineSeconds: 30");
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var progress = DeploymentProgress.Observe(null, deployment, new WorkloadStatus(3, 4, 3) { Updated = 1, Available = 3 }, t0);
        progress = DeploymentProgress.Observe(progress, deployment, new WorkloadStatus(3, 4, 4) { Updated = 1, Available = 4 }, t0.AddSeconds(25));
        Assert.Equal(t0.AddSeconds(55), progress.Deadline(deployment));
        progress = DeploymentProgress.Observe(progress, deployment, new WorkloadStatus(3, 4, 4) { Updated = 2, Available = 4 }, t0.AddSeconds(50));
        Assert.Equal(t0.AddSeconds(80), progress.Deadline(deployment));
    }

    [Fact]
    public void A_complete_or_paused_rollout_has_no_deadline()
    {
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var complete = DeploymentProgress.Observe(null, Deployment(3), new WorkloadStatus(3, 3, 3), t0);
        Assert.Null(complete.Deadline(Deployment(3)));
        var paused = Deployment(3, extra: "paused: true");
        Assert.Null(DeploymentProgress.Observe(null, paused, new WorkloadStatus(3, 4, 3) { Updated = 1 }, t0).Deadline(paused));
    }

    [Fact]
    public void A_resumed_rollout_is_progressing_unknown_deployment_resumed_from_the_resume_until_it_progresses_again()
    {
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var (paused, running) = (Deployment(3, extra: "paused: true"), Deployment(3));
        var waiting = new WorkloadStatus(3, 3, 3) { Updated = 0 };
        DeploymentProgressRecord Look(DeploymentProgressRecord? recorded, Workload deployment, WorkloadStatus status, int second)
        {
            var progress = new DeploymentProgress(DeploymentRollout.NewReplicaSetName(deployment), waiting, recorded?.Since ?? t0);
            return DeploymentProgressRecord.Next(recorded, deployment, DeploymentProgress.Observe(progress, deployment, status, t0.AddSeconds(second)), t0.AddSeconds(second));
        }

        var whilePaused = Look(null, paused, waiting, 0);
        var resumed = Look(Look(whilePaused, paused, waiting, 5), running, waiting, 20);
        var quiet = Look(resumed, running, waiting, 25);
        var moved = Look(quiet, running, waiting with { Updated = 1 }, 26);
        var served = running with { Meta = running.Meta with { Annotations = Labels.Empty.With(DeploymentProgressRecord.Annotation, quiet.Text) } };

        Assert.Equal(new DeploymentProgressRecord("DeploymentPaused", t0), Look(whilePaused, paused, waiting, 5));
        Assert.Equal(new DeploymentProgressRecord("DeploymentResumed", t0.AddSeconds(20)), resumed);
        Assert.Equal(resumed, quiet);
        Assert.Equal(new DeploymentProgressRecord("ReplicaSetUpdated", t0.AddSeconds(26)), moved);
        Assert.Equal(quiet, DeploymentProgressRecord.Of(served));
        Assert.Equal(
            ("Unknown", "DeploymentResumed", "Deployment is resumed"),
            DeploymentRollout.Conditions(served, waiting).Single(c => c.Type == "Progressing") is var p ? (p.StatusText, p.Reason, p.Message) : default);
        // A resumed Deployment with nothing left to roll is complete at once, as the controller finds it in the same sync.
        Assert.Equal("NewReplicaSetAvailable", Look(whilePaused, running, new WorkloadStatus(3, 3, 3), 20).Reason);
    }

    [Fact]
    public void A_ready_pod_counts_as_available_only_after_min_ready_seconds()
    {
        var cluster = Cluster.Valid(DeploymentYaml(2).Replace("replicas: 2", "replicas: 2\n  minReadySeconds: 10", StringComparison.Ordinal));
        var deployment = cluster.Workloads.Single();
        var pods = cluster.Pods.Select(p => p.QualifiedName).ToList();
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var readySince = new Dictionary<string, DateTimeOffset> { [pods[0]] = t0, [pods[1]] = t0.AddSeconds(5) };

        Assert.Equal((2, 0), Counts(new PodAvailability(readySince, t0.AddSeconds(9))));
        Assert.Equal((2, 1), Counts(new PodAvailability(readySince, t0.AddSeconds(10))));
        Assert.Equal((2, 2), Counts(new PodAvailability(readySince, t0.AddSeconds(15))));
        Assert.Equal(t0.AddSeconds(15), new PodAvailability(readySince, t0.AddSeconds(12)).NextAvailable(cluster.Pods, deployment.MinReadySeconds));
        // Without the pods' times (a plan of files), ready is available.
        Assert.Equal(2, WorkloadStatus.Of(deployment, cluster).Available);

        (int Ready, int Available) Counts(PodAvailability availability) =>
            WorkloadStatus.Of(deployment, cluster, availability) is var s ? (s.Ready, s.Available) : default;
    }

    /// <summary>A ReplicaSet that Deployment web controls, as a dump of a cluster holds it.</summary>
    private static string OwnedReplicaSet(string name, int replicas, string image) => $$$"""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: {{{name}}}, namespace: default, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true}]}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: web, pod-template-hash: {{{name}}}}}
          template:
            metadata: {labels: {app: web, pod-template-hash: {{{name}}}}}
            spec: {containers: [{name: c, image: "{{{image}}}"}]}
        """;

    private static string DeploymentYaml(int replicas) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: "web:2"}]}
        """;
}
