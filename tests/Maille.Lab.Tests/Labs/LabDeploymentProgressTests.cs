using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Lab.Labs;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// A lab's Deployment controller keeping a rollout's progress on the Deployment it stores
/// (<see cref="DeploymentProgressRecord"/>), without a lab: each pass plans the stored objects as files, and a
/// restarted daemon is a controller with no memory of its own.
/// </summary>
public sealed class LabDeploymentProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Pods that are Ready but wait minReadySeconds (600) far past the progress deadline (60): the rollout stays incomplete.
    private static readonly string Deployment = DeploymentYaml.Of("web", "default", 2, "app=web", "[{containerPort: 80}]")
        .Replace("replicas: 2", "replicas: 2\n  minReadySeconds: 600\n  progressDeadlineSeconds: 60", StringComparison.Ordinal);

    /// <summary>Runs the controller's passes at <paramref name="now"/> until it has nothing to write; the pods Ready since <see cref="T0"/>.</summary>
    private static (LabManifests Manifests, DateTimeOffset? NextLook) Settle(LabManifests manifests, DateTimeOffset now, Dictionary<string, DeploymentProgress> memory)
    {
        for (var pass = 0; pass < 20; pass++)
        {
            var (change, _, nextLook) = LabDeploymentController.Step(manifests, Cluster.Valid(manifests.Render()), ReadySinceT0(manifests, now), memory);
            if (change.Outcomes.Count == 0)
            {
                return (manifests, nextLook);
            }

            manifests = change.Manifests;
        }

        throw new InvalidOperationException("the controller kept writing");
    }

    /// <summary>Every pod of the stored objects Ready since <see cref="T0"/>, counted at <paramref name="now"/>.</summary>
    private static PodAvailability ReadySinceT0(LabManifests manifests, DateTimeOffset now) =>
        new(Cluster.Valid(manifests.Render()).Pods.ToDictionary(p => p.QualifiedName, _ => T0, StringComparer.Ordinal), now);

    private static Workload Web(LabManifests manifests) => Cluster.Valid(manifests.Render()).Workloads.Single(w => w.Kind == WorkloadKind.Deployment);

    [Fact]
    public void The_last_progress_is_read_back_from_the_deployment_so_a_restarted_daemon_keeps_the_deadline()
    {
        var (started, deadline) = Settle(LabManifests.Parse("lab.yaml", Deployment, T0), T0, []);

        var (restarted, deadlineAfterRestart) = Settle(started, T0.AddSeconds(30), []);
        var (exceeded, _) = Settle(restarted, T0.AddSeconds(61), []);

        Assert.Equal(new DeploymentProgressRecord("ReplicaSetUpdated", T0), DeploymentProgressRecord.Of(Web(started)));
        Assert.Equal(T0.AddSeconds(60), deadline);
        Assert.Equal(T0.AddSeconds(60), deadlineAfterRestart);
        Assert.Equal(
            ("False", "ProgressDeadlineExceeded"),
            DeploymentRollout.Conditions(Web(exceeded), WorkloadStatus.Of(Web(exceeded), Cluster.Valid(exceeded.Render()), ReadySinceT0(exceeded, T0.AddSeconds(61)))).Single(c => c.Type == "Progressing") is var p ? (p.StatusText, p.Reason) : default);
        Assert.Equal("2026-01-01T00:00:00Z", KubeObjectWriter.Write(Web(restarted), new WorkloadStatus(2, 2, 2) { Available = 0 }) is k8s.Models.V1Deployment d
            ? d.Status.Conditions.Single(c => c.Type == "Progressing").LastUpdateTime?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)
            : null);
    }

    [Fact]
    public void A_resumed_deployment_is_recorded_resumed_until_its_rollout_progresses()
    {
        var memory = new Dictionary<string, DeploymentProgress>(StringComparer.Ordinal);
        var (running, _) = Settle(LabManifests.Parse("lab.yaml", Deployment, T0), T0, memory);
        var (whilePaused, _) = Settle(Rewritten(running, T0.AddSeconds(5), ("\"progressDeadlineSeconds\"", "\"paused\": true, \"progressDeadlineSeconds\"")), T0.AddSeconds(5), memory);

        // kubectl rollout resume of a new template: the first look finds it resumed and scales a new ReplicaSet up.
        var resumed = Rewritten(whilePaused, T0.AddSeconds(20), ("\"paused\": true", "\"paused\": false"), ("\"containerPort\": 80", "\"containerPort\": 81"));
        var firstLook = LabDeploymentController.Step(resumed, Cluster.Valid(resumed.Render()), ReadySinceT0(resumed, T0.AddSeconds(20)), memory).Change.Manifests;
        var (progressed, _) = Settle(firstLook, T0.AddSeconds(21), memory);

        Assert.Equal(new DeploymentProgressRecord("DeploymentPaused", T0.AddSeconds(5)), DeploymentProgressRecord.Of(Web(whilePaused)));
        Assert.Equal(new DeploymentProgressRecord("DeploymentResumed", T0.AddSeconds(20)), DeploymentProgressRecord.Of(Web(firstLook)));
        Assert.Equal(new DeploymentProgressRecord("ReplicaSetUpdated", T0.AddSeconds(21)), DeploymentProgressRecord.Of(Web(progressed)));
    }

    [Fact]
    public void A_changed_min_ready_seconds_reaches_the_new_replicaset_without_a_new_revision_while_the_old_one_keeps_its_own()
    {
        var memory = new Dictionary<string, DeploymentProgress>(StringComparer.Ordinal);
        var (first, _) = Settle(LabManifests.Parse("lab.yaml", Deployment, T0), T0, memory);
        // A new template: a second ReplicaSet, while the first keeps its pods (they wait 600 s to be available).
        var (rolling, _) = Settle(Rewritten(first, T0.AddSeconds(5), ("\"containerPort\": 80", "\"containerPort\": 81")), T0.AddSeconds(5), memory);
        var revisionsBefore = ReplicaSets(rolling).ToDictionary(r => r.Meta.Name, r => r.Meta.Annotations.Get(DeploymentRollout.RevisionAnnotation), StringComparer.Ordinal);

        var (changed, _) = Settle(Rewritten(rolling, T0.AddSeconds(10), ("\"minReadySeconds\": 600, \"progressDeadlineSeconds\"", "\"minReadySeconds\": 5, \"progressDeadlineSeconds\"")), T0.AddSeconds(10), memory);
        var newName = DeploymentRollout.NewReplicaSetName(Web(changed));
        var after = ReplicaSets(changed).ToDictionary(r => r.Meta.Name, StringComparer.Ordinal);

        Assert.Equal(2, revisionsBefore.Count);
        Assert.Equal(revisionsBefore.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, after[newName].MinReadySeconds);
        Assert.Equal(600, after.Values.Single(r => r.Meta.Name != newName).MinReadySeconds);
        Assert.Equal(revisionsBefore, after.ToDictionary(r => r.Key, r => r.Value.Meta.Annotations.Get(DeploymentRollout.RevisionAnnotation), StringComparer.Ordinal));
    }

    private static IEnumerable<Workload> ReplicaSets(LabManifests manifests) => Cluster.Valid(manifests.Render()).Workloads.Where(w => w.Kind == WorkloadKind.ReplicaSet);

    /// <summary>The stored Deployment written again with some of its text replaced, as a user's write would.</summary>
    private static LabManifests Rewritten(LabManifests manifests, DateTimeOffset now, params (string Old, string New)[] replacements)
    {
        var text = manifests.Render();
        foreach (var (old, replacement) in replacements)
        {
            Assert.Contains(old, text, StringComparison.Ordinal);
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        return manifests.Apply(LabManifests.Parse("lab.yaml", text, now).Documents.Where(d => d.Key.Kind == "Deployment"), now).Manifests;
    }
}
