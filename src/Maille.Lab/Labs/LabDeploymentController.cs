using System.Globalization;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Kube.Patching;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's Deployment controller: it writes each Deployment's ReplicaSets into the desired state as objects, owned by
/// the Deployment (<c>ownerReferences</c> with its uid), with their revision and the Deployment's template, and changes
/// them one <see cref="DeploymentRollout.Step"/> at a time, as an ordinary planned change. The engine plans whatever
/// ReplicaSets exist, so a rollout's progress is state that the API serves and a restarted daemon reads back; the
/// controller only decides, from the published plan (whose pods' readiness the prober keeps), what the next step is.
/// Time enters in two places: a pod counts as available once Ready for <c>minReadySeconds</c>, and a rollout that makes
/// no progress for <c>progressDeadlineSeconds</c> is marked on its Deployment
/// (<see cref="DeploymentRollout.ProgressDeadlineExceededAnnotation"/>); the caller looks again when either can change.
/// </summary>
internal static class LabDeploymentController
{
    /// <summary>
    /// The change that takes every Deployment one step further, and what each step did; an empty change when none can
    /// move. <paramref name="progress"/> is the caller's memory of each rollout's last progress, updated here;
    /// <c>NextLook</c> is when a pod becomes available or a deadline passes, if nothing else happens first.
    /// </summary>
    public static (LabChange Change, IReadOnlyList<string> Actions, DateTimeOffset? NextLook) Step(
        LabManifests manifests, ClusterState published, PodAvailability availability, Dictionary<string, DeploymentProgress> progress)
    {
        var now = availability.Now;
        var deployments = published.Workloads.Where(w => w.Kind == WorkloadKind.Deployment)
            .ToDictionary(w => w.Meta.QualifiedName, StringComparer.Ordinal);
        var written = new List<ManifestDocument>();
        var deleted = new List<ObjectKey>();
        var actions = new List<string>();
        DateTimeOffset? nextLook = null;
        foreach (var key in progress.Keys.Where(k => !deployments.ContainsKey(k)).ToList())
        {
            progress.Remove(key);
        }

        foreach (var document in manifests.Documents.Where(d => d.Key is { Group: "apps", Kind: "Deployment" }))
        {
            if (!deployments.TryGetValue($"{document.Key.Namespace}/{document.Key.Name}", out var deployment))
            {
                continue;
            }

            var ownedSets = WorkloadStatus.OwnedReplicaSets(deployment, published).ToList();
            var owned = ownedSets.Select(rs => ReplicaSetView.Of(rs, published, availability, deployment.MinReadySeconds)).ToList();
            var (marked, look) = Deadline(document, deployment, published, availability, progress);
            if (marked is not null)
            {
                written.Add(marked);
            }

            var names = ownedSets.Select(rs => rs.Meta.Name).ToHashSet(StringComparer.Ordinal);
            var becomesAvailable = availability.NextAvailable(published.Pods.Where(p => p.Namespace == deployment.Meta.Namespace && p.Owner is { Kind: nameof(WorkloadKind.ReplicaSet) } o && names.Contains(o.Name)), deployment.MinReadySeconds);
            nextLook = Earliest(Earliest(nextLook, look), becomesAvailable);
            var step = DeploymentRollout.Step(deployment, owned);
            var replicaSets = step?.ReplicaSets ?? owned;
            if (step is not null)
            {
                actions.Add($"deployment {document.Key.Namespace}/{document.Key.Name}: {step.Action}");
                var before = owned.ToDictionary(r => r.Name, StringComparer.Ordinal);
                foreach (var rs in step.ReplicaSets.Where(r => !before.TryGetValue(r.Name, out var had) || had != r))
                {
                    var key = new ObjectKey("apps", "ReplicaSet", document.Key.Namespace, rs.Name);
                    written.Add(manifests.TryGet(key, out var stored)
                        ? Resized(stored, rs)
                        : Created(document, deployment, rs, adopted: owned.Count == 0));
                }

                deleted.AddRange(owned.Where(r => step.ReplicaSets.All(s => s.Name != r.Name))
                    .Select(r => new ObjectKey("apps", "ReplicaSet", document.Key.Namespace, r.Name)));
            }

            // The Deployment carries its newest revision, as kubectl rollout undo expects to find it.
            var newName = DeploymentRollout.NewReplicaSetName(deployment);

            // Its new ReplicaSet takes a changed minReadySeconds without a new revision; the old ones keep theirs, as
            // the deployment controller updates only the new one (getNewReplicaSet).
            var newKey = new ObjectKey("apps", "ReplicaSet", document.Key.Namespace, newName);
            if (ownedSets.FirstOrDefault(r => r.Meta.Name == newName) is { } current && current.MinReadySeconds != deployment.MinReadySeconds
                && !deleted.Contains(newKey) && (written.FirstOrDefault(w => w.Key == newKey) ?? (manifests.TryGet(newKey, out var storedNew) ? storedNew : null)) is { } newest)
            {
                written.Remove(newest);
                written.Add(WithMinReadySeconds(newest, deployment.MinReadySeconds));
                actions.Add($"deployment {document.Key.Namespace}/{document.Key.Name}: minReadySeconds {Text(deployment.MinReadySeconds)} on {newName}");
            }

            if (replicaSets.FirstOrDefault(r => r.Name == newName) is { Revision: > 0 } revised
                && document.Annotations.GetValueOrDefault(DeploymentRollout.RevisionAnnotation) != Text(revised.Revision))
            {
                var annotated = written.FirstOrDefault(w => w.Key == document.Key) ?? document;
                written.Remove(annotated);
                written.Add(WithAnnotations(annotated, new() { [DeploymentRollout.RevisionAnnotation] = Text(revised.Revision) }));
            }
        }

        if (written.Count == 0 && deleted.Count == 0)
        {
            return (new LabChange(manifests, [], []), actions, nextLook);
        }

        var applied = manifests.Apply(written, now);
        var removed = applied.Manifests.Delete(deleted);
        return (new LabChange(removed.Manifests, [.. applied.Outcomes, .. removed.Outcomes], []), actions, nextLook);
    }

    /// <summary>
    /// Observes the rollout's progress: the Deployment with its progress recorded anew
    /// (<see cref="DeploymentProgressRecord"/>: it progressed, was paused or resumed), marked when its deadline has
    /// passed, or unmarked once it moves again (null when all that is already right), and when the deadline will pass if
    /// nothing moves. The last progress is the one the Deployment records, so a restarted daemon counts the deadline
    /// from where it was (from an exceeded mark's time when the Deployment records none).
    /// </summary>
    private static (ManifestDocument? Marked, DateTimeOffset? Deadline) Deadline(
        ManifestDocument document, Workload deployment, ClusterState published, PodAvailability availability, Dictionary<string, DeploymentProgress> progress)
    {
        var now = availability.Now;
        var status = WorkloadStatus.Of(deployment, published, availability);
        var newName = DeploymentRollout.NewReplicaSetName(deployment);
        var mark = document.Annotations.GetValueOrDefault(DeploymentRollout.ProgressDeadlineExceededAnnotation);
        var recorded = DeploymentProgressRecord.Of(deployment);
        var previous = progress.GetValueOrDefault(deployment.Meta.QualifiedName);
        if (recorded is not null)
        {
            previous = (previous ?? new DeploymentProgress(newName, status, recorded.Since)) with { Since = recorded.Since };
        }
        else if (previous is null && mark is not null && DateTimeOffset.TryParse(mark, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exceededAt))
        {
            previous = new DeploymentProgress(newName, status, exceededAt.AddSeconds(-deployment.ProgressDeadlineSeconds));
        }

        var observed = DeploymentProgress.Observe(previous, deployment, status, now);
        var next = DeploymentProgressRecord.Next(recorded, deployment, observed, now);
        observed = observed with { Since = next.Since };
        progress[deployment.Meta.QualifiedName] = observed;
        var exceeded = observed.IsExceeded(deployment, now);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (next.Text != document.Annotations.GetValueOrDefault(DeploymentProgressRecord.Annotation))
        {
            annotations[DeploymentProgressRecord.Annotation] = next.Text;
        }

        if (exceeded && mark is null)
        {
            annotations[DeploymentRollout.ProgressDeadlineExceededAnnotation] = ServedStatus.Timestamp(observed.Deadline(deployment)!.Value).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        var marked = annotations.Count > 0 ? WithAnnotations(document, annotations) : null;
        if (!exceeded && mark is not null)
        {
            marked = WithoutAnnotation(marked ?? document, DeploymentRollout.ProgressDeadlineExceededAnnotation);
        }

        return (marked, exceeded ? null : observed.Deadline(deployment));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>A stored object without one of its annotations.</summary>
    private static ManifestDocument WithoutAnnotation(ManifestDocument stored, string name)
    {
        var json = ManifestJson.Of(stored);
        (json["metadata"]?["annotations"] as JsonObject)?.Remove(name);
        return ManifestDocument.Parse(stored.Source, json.ToJsonString())[0];
    }

    /// <summary>
    /// A new ReplicaSet as the Deployment controller makes it: <c>name-{hash}</c>, the Deployment's template and
    /// selector with the <c>pod-template-hash</c> label, owned by the Deployment. The first one, adopting the pods a
    /// Deployment had before it had ReplicaSet objects, is dated from the Deployment, so those pods stay the same.
    /// </summary>
    private static ManifestDocument Created(ManifestDocument deploymentDocument, Workload deployment, ReplicaSetView rs, bool adopted)
    {
        var source = ManifestJson.Of(deploymentDocument);
        var hash = rs.Name[(deployment.Meta.Name.Length + 1)..];
        var template = source["spec"]?["template"]?.DeepClone() as JsonObject ?? [];
        var templateMetadata = template["metadata"] as JsonObject ?? (JsonObject)(template["metadata"] = new JsonObject());
        var labels = templateMetadata["labels"] as JsonObject ?? (JsonObject)(templateMetadata["labels"] = new JsonObject());
        labels[DeploymentRollout.PodTemplateHashLabel] = hash;
        var selector = source["spec"]?["selector"]?.DeepClone() as JsonObject ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject ?? (JsonObject)(selector["matchLabels"] = new JsonObject());
        matchLabels[DeploymentRollout.PodTemplateHashLabel] = hash;
        var metadata = new JsonObject
        {
            ["name"] = rs.Name,
            ["namespace"] = deployment.Meta.Namespace,
            ["labels"] = labels.DeepClone(),
            ["annotations"] = Annotations(rs),
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["name"] = deployment.Meta.Name,
                ["uid"] = ObjectUid.Of("Deployment", deployment.Meta),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (adopted && deploymentDocument.CreationTimestamp is { } created)
        {
            metadata["creationTimestamp"] = created;
        }

        var replicaSet = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = rs.Replicas, ["selector"] = selector, ["template"] = template },
        };
        if (deployment.MinReadySeconds > 0)
        {
            // As the Deployment controller copies it: the ReplicaSet's served availableReplicas count as the Deployment's.
            replicaSet["spec"]!["minReadySeconds"] = deployment.MinReadySeconds;
        }

        return ManifestDocument.Parse(deploymentDocument.Source, replicaSet.ToJsonString())[0];
    }

    /// <summary>An existing ReplicaSet with the replicas and annotations of the step.</summary>
    private static ManifestDocument Resized(ManifestDocument stored, ReplicaSetView rs)
    {
        var json = ManifestJson.Of(stored);
        var spec = json["spec"] as JsonObject ?? (JsonObject)(json["spec"] = new JsonObject());
        spec["replicas"] = rs.Replicas;
        return WithAnnotations(ManifestDocument.Parse(stored.Source, json.ToJsonString())[0], Annotations(rs).ToDictionary(a => a.Key, a => (string)a.Value!, StringComparer.Ordinal));
    }

    /// <summary>A stored ReplicaSet with the Deployment's <c>minReadySeconds</c> (none written when 0, the default).</summary>
    private static ManifestDocument WithMinReadySeconds(ManifestDocument stored, int seconds)
    {
        var json = ManifestJson.Of(stored);
        var spec = json["spec"] as JsonObject ?? (JsonObject)(json["spec"] = new JsonObject());
        if (seconds > 0)
        {
            spec["minReadySeconds"] = seconds;
        }
        else
        {
            spec.Remove("minReadySeconds");
        }

        return ManifestDocument.Parse(stored.Source, json.ToJsonString())[0];
    }

    /// <summary>A stored object with some of its annotations set.</summary>
    internal static ManifestDocument WithAnnotations(ManifestDocument stored, Dictionary<string, string> annotations)
    {
        var json = ManifestJson.Of(stored);
        var metadata = (JsonObject)json["metadata"]!;
        var written = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
        foreach (var (name, value) in annotations)
        {
            written[name] = value;
        }

        return ManifestDocument.Parse(stored.Source, json.ToJsonString())[0];
    }

    private static JsonObject Annotations(ReplicaSetView rs)
    {
        var annotations = new JsonObject { [DeploymentRollout.RevisionAnnotation] = Text(rs.Revision) };
        if (rs.DesiredReplicas is { } desired)
        {
            annotations[DeploymentRollout.DesiredReplicasAnnotation] = Text(desired);
        }

        if (rs.MaxReplicas is { } max)
        {
            annotations[DeploymentRollout.MaxReplicasAnnotation] = Text(max);
        }

        return annotations;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
