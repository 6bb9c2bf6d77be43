using System.Collections.Immutable;
using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's desired state: the objects the user applied, by key, as written. Immutable; each change gives a new value
/// and says, per object, what happened to it, in kubectl's words (<c>created</c>, <c>configured</c>, <c>unchanged</c>,
/// <c>deleted</c>, <c>labeled</c>). The daemon plans the new value and keeps it only if it plans without errors.
/// </summary>
public sealed class LabManifests
{
    private readonly ImmutableSortedDictionary<ObjectKey, ManifestDocument> _documents;
    private Dictionary<ObjectKey, ManifestDocument>? _byKey;

    private LabManifests(ImmutableSortedDictionary<ObjectKey, ManifestDocument> documents) => _documents = documents;

    public static LabManifests Empty { get; } = new(ImmutableSortedDictionary<ObjectKey, ManifestDocument>.Empty);

    public IEnumerable<ManifestDocument> Documents => _documents.Values;

    public int Count => _documents.Count;

    /// <param name="now">The creation time of objects that do not have one (a lab brought up).</param>
    public static LabManifests Parse(string file, string text, DateTimeOffset now) =>
        Empty.Apply(ManifestDocument.Parse(file, text), now).Manifests;

    /// <summary>The desired state as one multi-document YAML text, in key order, for the lab's state folder.</summary>
    public string Render() => ManifestDocument.RenderInOrder(_documents.Values);

    public bool TryGet(ObjectKey key, out ManifestDocument document) => _documents.TryGetValue(key, out document!);

    /// <summary>The documents by key, hashed (made once per value: the API looks up every object it serves).</summary>
    public IReadOnlyDictionary<ObjectKey, ManifestDocument> ByKey => _byKey ??= new Dictionary<ObjectKey, ManifestDocument>(_documents);

    /// <summary>
    /// Creates or replaces each document (the last one wins when the input names an object twice). As the API server
    /// does, a created object without <c>metadata.creationTimestamp</c> gets <paramref name="now"/>, and a replaced one
    /// keeps the time it was created at.
    /// </summary>
    /// <param name="documents">Documents just parsed, not read yet (<see cref="ManifestDocument.StampCreation"/>).</param>
    public LabChange Apply(IEnumerable<ManifestDocument> documents, DateTimeOffset now)
    {
        var builder = _documents.ToBuilder();
        var outcomes = new Dictionary<ObjectKey, string>();
        var created = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var document in documents)
        {
            var had = builder.TryGetValue(document.Key, out var stored) ? stored : null;
            if (document.CreationTimestamp is null)
            {
                document.StampCreation(had?.CreationTimestamp ?? created);
            }

            StampServerFields(document, had);

            var outcome = !_documents.TryGetValue(document.Key, out var existing) ? "created" : existing.SameAs(document) ? "unchanged" : "configured";
            outcomes[document.Key] = outcomes.TryGetValue(document.Key, out var earlier) && earlier == "created" ? "created" : outcome;
            builder[document.Key] = document;
        }

        return new LabChange(new LabManifests(builder.ToImmutable()), [.. outcomes.Select(o => new ObjectOutcome(o.Key, o.Value))], []);
    }

    /// <summary>
    /// What the API server keeps itself on a write: <c>metadata.generation</c>, 1 at creation and one more whenever the
    /// spec changes (a change of metadata alone keeps it), and a Deployment's revision, which its controller wrote and a
    /// replacing object does not carry.
    /// </summary>
    private static void StampServerFields(ManifestDocument document, ManifestDocument? stored)
    {
        var json = Maille.Kube.Patching.ManifestJson.Of(document);
        if (json.ContainsKey("spec"))
        {
            var before = stored is null ? null : Maille.Kube.Patching.ManifestJson.Of(stored);
            var generation = Math.Max(stored?.Generation ?? 0, 1);
            document.StampGeneration(before is null ? 1 : System.Text.Json.Nodes.JsonNode.DeepEquals(before["spec"], json["spec"]) ? generation : generation + 1);
        }

        if (document.Key is { Group: "apps", Kind: "Deployment" } && stored?.Annotations.GetValueOrDefault(Engine.Workloads.DeploymentRollout.RevisionAnnotation) is { } revision
            && !document.Annotations.ContainsKey(Engine.Workloads.DeploymentRollout.RevisionAnnotation))
        {
            document.StampAnnotation(Engine.Workloads.DeploymentRollout.RevisionAnnotation, revision);
        }
    }

    /// <summary>
    /// Removes each object; deleting a Namespace deletes every object in it, as the namespace controller does, and
    /// deleting an object deletes the objects it controls (a Deployment's ReplicaSets), as the garbage collector does.
    /// Objects that do not exist are reported as not found and the rest still go.
    /// </summary>
    public LabChange Delete(IEnumerable<ObjectKey> keys)
    {
        var builder = _documents.ToBuilder();
        var outcomes = new List<ObjectOutcome>();
        var missing = new List<ObjectKey>();
        foreach (var key in keys.Distinct())
        {
            if (!builder.Remove(key))
            {
                missing.Add(key);
                continue;
            }

            outcomes.Add(new ObjectOutcome(key, "deleted"));
            if (key is { Group: "", Kind: "Namespace" })
            {
                foreach (var inside in builder.Keys.Where(k => k.Namespace == key.Name).ToList())
                {
                    builder.Remove(inside);
                    outcomes.Add(new ObjectOutcome(inside, "deleted"));
                }
            }
        }

        // Read once: which remaining objects name a controller, by the controller's namespace, kind and name.
        var dependents = builder.Values.Where(d => d.Controller is not null)
            .ToLookup(d => (d.Key.Namespace, d.Controller!.Value.Kind, d.Controller.Value.Name), d => d.Key);
        var deleted = outcomes.Select(o => o.Key).ToList();
        for (var i = 0; i < deleted.Count && dependents.Count > 0; i++)
        {
            foreach (var dependent in dependents[(deleted[i].Namespace, deleted[i].Kind, deleted[i].Name)].Where(builder.Remove))
            {
                outcomes.Add(new ObjectOutcome(dependent, "deleted"));
                deleted.Add(dependent);
            }
        }

        return new LabChange(new LabManifests(builder.ToImmutable()), outcomes, missing);
    }

    /// <summary>
    /// Sets (<c>value</c>) or removes (<c>null</c>) labels on one object. Changing an existing label's value needs
    /// <paramref name="overwrite"/>, as with <c>kubectl label --overwrite</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A label would change without <paramref name="overwrite"/>; the message is kubectl's.</exception>
    public LabChange Label(ObjectKey key, IReadOnlyDictionary<string, string?> changes, bool overwrite)
    {
        if (!_documents.TryGetValue(key, out var document))
        {
            return new LabChange(this, [], [key]);
        }

        var current = document.Labels;
        foreach (var (name, value) in changes)
        {
            if (value is not null && !overwrite && current.TryGetValue(name, out var had) && had != value)
            {
                throw new InvalidOperationException($"'{name}' already has a value ({had}), and --overwrite is false");
            }
        }

        var labeled = document.WithLabels(changes);
        var outcome = labeled.SameAs(document) ? "not labeled" : "labeled";
        return new LabChange(new LabManifests(_documents.SetItem(key, labeled)), [new ObjectOutcome(key, outcome)], []);
    }
}
