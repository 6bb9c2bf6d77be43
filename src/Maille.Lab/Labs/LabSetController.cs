using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Kube.Patching;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's StatefulSet and DaemonSet controllers. Each set's template is recorded as a ControllerRevision object
/// (named and hashed as the real controllers name them, owned by the set, numbered), the revision each of its pods
/// runs is recorded on the set (<see cref="SetRevisions.PodRevisionsAnnotation"/>), and the engine plans each pod from
/// its revision's template. One pass takes every set one step (<see cref="StatefulSetRollout"/>,
/// <see cref="DaemonSetRollout"/>) as an ordinary planned change, and deletes revisions beyond
/// <c>revisionHistoryLimit</c> that no pod runs.
/// </summary>
internal static class LabSetController
{
    /// <summary>
    /// The change that takes every StatefulSet and DaemonSet one step further, what each step did, and when a set's pod
    /// becomes available (<c>minReadySeconds</c>) if nothing else happens first: an OrderedReady set's next pod, or a
    /// rolling update's next, may wait for it.
    /// </summary>
    public static (LabChange Change, IReadOnlyList<string> Actions, DateTimeOffset? NextLook) Step(LabManifests manifests, ClusterState published, PodAvailability availability)
    {
        var nextLook = published.Workloads.Where(w => w.Kind is WorkloadKind.StatefulSet or WorkloadKind.DaemonSet && w.MinReadySeconds > 0)
            .Select(set => availability.NextAvailable(published.Pods.Where(p => p.Namespace == set.Meta.Namespace && p.Owner is { } o && o.Kind == set.Kind.ToString() && o.Name == set.Meta.Name), set.MinReadySeconds))
            .Where(at => at is not null).Min();
        var sets = published.Workloads.Where(w => w.Kind is WorkloadKind.StatefulSet or WorkloadKind.DaemonSet)
            .ToDictionary(w => (w.Kind.ToString(), w.Meta.QualifiedName));
        var written = new List<ManifestDocument>();
        var deleted = new List<ObjectKey>();
        var actions = new List<string>();
        foreach (var document in manifests.Documents.Where(d => d.Key is { Group: "apps", Kind: "StatefulSet" or "DaemonSet" }))
        {
            if (!sets.TryGetValue((document.Key.Kind, $"{document.Key.Namespace}/{document.Key.Name}"), out var set))
            {
                continue;
            }

            var owned = SetRevisions.Owned(set, published.ControllerRevisions);
            var label = $"{document.Key.Kind.ToLowerInvariant()} {document.Key.Namespace}/{document.Key.Name}";
            if (Record(manifests, document, set, owned) is { } revision)
            {
                // The template's revision is written first; the pods move once it is planned.
                written.Add(revision.Document);
                actions.Add($"{label}: {revision.Action}");
                continue;
            }

            var update = SetRevisions.Update(set, owned)!.Meta.Name;
            var recorded = SetRevisions.Pods(set);
            var step = set.Kind == WorkloadKind.StatefulSet
                ? StatefulSetRollout.Step(set, update, SetRevisions.Current(set, update)!, recorded, i => Available(published, availability, set, $"{set.Meta.Name}-{i}"), availability.Now)
                : DaemonSetRollout.Step(set, update, [.. DaemonSetRollout.EligibleNodes(set, published.Nodes).Select(n => n.Name).Order(StringComparer.Ordinal)], recorded, p => Available(published, availability, set, DaemonSetRollout.PodName(set, p)));
            if (step is not null)
            {
                written.Add(LabDeploymentController.WithAnnotations(document, new() { [SetRevisions.PodRevisionsAnnotation] = SetRevisions.Format(step.Pods) }));
                actions.Add($"{label}: {step.Action}");
                continue;
            }

            var truncated = Truncate(set, owned, update, recorded);
            if (truncated.Count > 0)
            {
                deleted.AddRange(truncated.Select(r => new ObjectKey("apps", "ControllerRevision", document.Key.Namespace, r.Meta.Name)));
                actions.Add($"{label}: deleted {string.Join(", ", truncated.Select(r => r.Meta.Name))} (revision history limit {set.RevisionHistoryLimit})");
            }
        }

        if (written.Count == 0 && deleted.Count == 0)
        {
            return (new LabChange(manifests, [], []), actions, nextLook);
        }

        var applied = manifests.Apply(written, availability.Now);
        var removed = applied.Manifests.Delete(deleted);
        return (new LabChange(removed.Manifests, [.. applied.Outcomes, .. removed.Outcomes], []), actions, nextLook);
    }

    /// <summary>
    /// The change that deletes a StatefulSet's or DaemonSet's pod: the pod has no manifest of its own, so its set records
    /// that it is made again, as the real controllers make a deleted pod again (a StatefulSet's with the same name, at
    /// the revision a new pod of that ordinal gets; a DaemonSet's on the same node at the update revision, with a new
    /// name). Null when <paramref name="key"/> is no such pod.
    /// </summary>
    public static LabChange? Delete(LabManifests manifests, ClusterState published, ObjectKey key, DateTimeOffset now)
    {
        if (key is not { Group: "", Kind: "Pod" } || manifests.TryGet(key, out _)
            || !published.PodsByName.TryGetValue($"{key.Namespace}/{key.Name}", out var pod)
            || pod.Owner is not { Kind: nameof(WorkloadKind.StatefulSet) or nameof(WorkloadKind.DaemonSet) } owner
            || !manifests.TryGet(new ObjectKey("apps", owner.Kind, key.Namespace, owner.Name), out var stored)
            || published.Workloads.FirstOrDefault(w => w.Kind.ToString() == owner.Kind && w.Meta.Namespace == key.Namespace && w.Meta.Name == owner.Name) is not { } set
            || SetRevisions.Update(set, SetRevisions.Owned(set, published.ControllerRevisions)) is not { } updateRevision)
        {
            return null;
        }

        var update = updateRevision.Meta.Name;
        var recorded = SetRevisions.Pods(set);
        IReadOnlyList<SetPod> pods;
        if (set.Kind == WorkloadKind.StatefulSet)
        {
            var ordinal = int.Parse(key.Name[(set.Meta.Name.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            pods = StatefulSetRollout.AfterDeleting(set, update, SetRevisions.Current(set, update)!, recorded, ordinal, now);
        }
        else if (recorded.FirstOrDefault(p => DaemonSetRollout.PodName(set, p) == key.Name) is { } deleted)
        {
            pods = DaemonSetRollout.AfterDeleting(update, recorded, deleted);
        }
        else
        {
            return null;
        }

        var applied = manifests.Apply([LabDeploymentController.WithAnnotations(stored, new() { [SetRevisions.PodRevisionsAnnotation] = SetRevisions.Format(pods) })], now);
        return new LabChange(applied.Manifests, [new ObjectOutcome(key, "deleted"), .. applied.Outcomes], []);
    }

    /// <summary>
    /// The ControllerRevision the set's template needs, when it has none yet (a new one, numbered after the newest), or
    /// when the one it has is not the newest (a rollback: renumbered as the newest, as the controllers do); else null.
    /// </summary>
    private static (ManifestDocument Document, string Action)? Record(LabManifests manifests, ManifestDocument setDocument, Workload set, IReadOnlyList<ControllerRevision> owned)
    {
        var newest = owned.Count == 0 ? 0 : owned.Max(r => r.Revision);
        if (SetRevisions.Update(set, owned) is { } existing)
        {
            if (existing.Revision == newest)
            {
                return null;
            }

            var stored = manifests.TryGet(new ObjectKey("apps", "ControllerRevision", setDocument.Key.Namespace, existing.Meta.Name), out var document) ? document : null;
            if (stored is null)
            {
                return null;
            }

            var json = ManifestJson.Of(stored);
            json["revision"] = newest + 1;
            return (ManifestDocument.Parse(stored.Source, json.ToJsonString())[0], $"made {existing.Meta.Name} revision {newest + 1}");
        }

        var data = Data(setDocument);
        var bytes = Encoding.UTF8.GetBytes(data.ToJsonString());
        // The StatefulSet controller hashes with its collision count (0 at first); the DaemonSet controller with none
        // until a collision happened. A name already taken by other data takes the next count.
        for (var collisions = 0; collisions < 100; collisions++)
        {
            var hash = ControllerRevisionHash.Of(bytes, set.Kind == WorkloadKind.StatefulSet || collisions > 0 ? collisions : null);
            var name = ControllerRevisionHash.Name(set.Meta.Name, hash);
            if (manifests.TryGet(new ObjectKey("apps", "ControllerRevision", setDocument.Key.Namespace, name), out _))
            {
                continue;
            }

            var labels = (ManifestJson.Of(setDocument)["spec"]?["template"]?["metadata"]?["labels"]?.DeepClone() as JsonObject) ?? [];
            labels[SetRevisions.HashLabel] = hash;
            var revision = new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ControllerRevision",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = set.Meta.Namespace,
                    ["labels"] = labels,
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1",
                        ["kind"] = set.Kind.ToString(),
                        ["name"] = set.Meta.Name,
                        ["uid"] = ObjectUid.Of(set.Kind.ToString(), set.Meta),
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    }),
                },
                ["data"] = data,
                ["revision"] = newest + 1,
            };
            return (ManifestDocument.Parse(setDocument.Source, revision.ToJsonString())[0], $"recorded revision {newest + 1} as {name}");
        }

        return null;
    }

    /// <summary>
    /// The revision's data as the controllers write it: a patch that replaces the set's template
    /// (<c>{"spec":{"template":{…,"$patch":"replace"}}}</c>), its keys in order as Go's JSON encoder writes a map.
    /// </summary>
    private static JsonObject Data(ManifestDocument setDocument)
    {
        var template = ManifestJson.Of(setDocument)["spec"]?["template"]?.DeepClone() as JsonObject ?? [];
        template["$patch"] = "replace";
        return (JsonObject)Sorted(new JsonObject { ["spec"] = new JsonObject { ["template"] = template } })!;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    /// <summary>The revisions beyond the history limit, oldest first, among those no pod runs and that are not the update revision.</summary>
    private static List<ControllerRevision> Truncate(Workload set, IReadOnlyList<ControllerRevision> owned, string update, IReadOnlyList<SetPod> pods)
    {
        var live = pods.Select(p => p.Revision).Append(update).ToHashSet(StringComparer.Ordinal);
        var old = owned.Where(r => !live.Contains(r.Meta.Name)).ToList();
        return [.. old.Take(Math.Max(0, old.Count - set.RevisionHistoryLimit))];
    }

    private static bool Available(ClusterState published, PodAvailability availability, Workload set, string podName) =>
        published.PodsByName.TryGetValue($"{set.Meta.Namespace}/{podName}", out var pod) && availability.IsAvailable(pod, set.MinReadySeconds);
}
