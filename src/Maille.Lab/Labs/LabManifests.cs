using System.Collections.Immutable;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Labs;

/// <summary>
/// A lab's desired state: the objects the user applied, by key, as written. Immutable; each change gives a new value
/// and says, per object, what happened to it, in kubectl's words (<c>created</c>, <c>configured</c>, <c>unchanged</c>,
/// <c>deleted</c>, <c>labeled</c>). The daemon plans the new value and keeps it only if it plans without errors.
/// <para>
/// Each object written through the Kubernetes API also has its managed fields (server-side apply's record of which
/// manager set which field), kept beside the documents rather than in them: the documents stay what the user wrote,
/// so the state file and <c>maille get</c> show no server bookkeeping, and a change of owners alone is a change too.
/// </para>
/// </summary>
public sealed class LabManifests
{
    private readonly ImmutableSortedDictionary<ObjectKey, ManifestDocument> _documents;
    private Dictionary<ObjectKey, ManifestDocument>? _byKey;
    private readonly ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> _managed;
    private static long _lastVersion;

    private LabManifests(ImmutableSortedDictionary<ObjectKey, ManifestDocument> documents, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> managed, LabManifests? from = null, IEnumerable<ObjectKey>? changed = null)
    {
        _documents = documents;
        _managed = managed;
        Version = Interlocked.Increment(ref _lastVersion);
        ChangedFrom = from is null || changed is null ? null : new LabManifestsChange(from.Version, changed.ToHashSet());
    }

    /// <summary>This value's number, unique in the process: two values with the same number are the same value.</summary>
    internal long Version { get; }

    /// <summary>
    /// The value this one was made from and the objects whose documents or managed fields may differ between them (a
    /// superset); null when not known. The API's store looks at these objects only, instead of each of 20,000.
    /// </summary>
    internal LabManifestsChange? ChangedFrom { get; }

    public static LabManifests Empty { get; } = new(ImmutableSortedDictionary<ObjectKey, ManifestDocument>.Empty, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty);

    /// <summary>The managed fields of each object that has some.</summary>
    public ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> ManagedFields => _managed;

    /// <summary>The managed fields of <paramref name="key"/> (empty when it has none).</summary>
    public ImmutableArray<ManagedFieldsEntry> ManagedFieldsOf(ObjectKey key) => _managed.GetValueOrDefault(key, []);

    /// <summary>These documents with <paramref name="managed"/> for the objects that exist (a daemon reading its state again).</summary>
    public LabManifests WithManagedFields(IReadOnlyDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> managed) =>
        new(_documents, managed.Where(m => _documents.ContainsKey(m.Key) && !m.Value.IsEmpty).ToImmutableDictionary());

    public IEnumerable<ManifestDocument> Documents => _documents.Values;

    public int Count => _documents.Count;

    /// <param name="now">The creation time of objects that do not have one (a lab brought up).</param>
    public static LabManifests Parse(string file, string text, DateTimeOffset now) =>
        Empty.Apply(ManifestDocument.Parse(file, text), now).Manifests;

    /// <summary>The desired state as one multi-document YAML text, in key order, for the lab's state folder.</summary>
    public string Render() => ManifestDocument.RenderInOrder(_documents.Values);

    /// <summary>What <see cref="Render"/> makes, written to <paramref name="writer"/>.</summary>
    public void WriteTo(TextWriter writer) => ManifestDocument.WriteInOrder(writer, _documents.Values);

    public bool TryGet(ObjectKey key, out ManifestDocument document) => _documents.TryGetValue(key, out document!);

    /// <summary>The documents by key, hashed (made once per value: the API looks up every object it serves).</summary>
    public IReadOnlyDictionary<ObjectKey, ManifestDocument> ByKey => _byKey ??= new Dictionary<ObjectKey, ManifestDocument>(_documents);

    /// <summary>
    /// Creates or replaces each document (the last one wins when the input names an object twice). As the API server
    /// does, a created object without <c>metadata.creationTimestamp</c> gets <paramref name="now"/>, and a replaced one
    /// keeps the time it was created at.
    /// </summary>
    /// <param name="documents">Documents just parsed, not read yet (<see cref="ManifestDocument.StampCreation"/>).</param>
    /// <param name="managed">The managed fields of objects the API wrote (the rest keep theirs).</param>
    public LabChange Apply(IEnumerable<ManifestDocument> documents, DateTimeOffset now, IReadOnlyDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>? managed = null)
    {
        var builder = _documents.ToBuilder();
        var owners = WithOwners(managed, out var ownersChanged);
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

            var outcome = !_documents.TryGetValue(document.Key, out var existing) ? "created"
                : existing.SameAs(document) && !ownersChanged.Contains(document.Key) ? "unchanged" : "configured";
            outcomes[document.Key] = outcomes.TryGetValue(document.Key, out var earlier) && earlier == "created" ? "created" : outcome;
            builder[document.Key] = document;
        }

        return new LabChange(new LabManifests(builder.ToImmutable(), owners, this, outcomes.Keys.Concat(ownersChanged)), [.. outcomes.Select(o => new ObjectOutcome(o.Key, o.Value))], []);
    }

    /// <summary>
    /// What the API server keeps itself on a write: <c>metadata.generation</c>, 1 at creation and one more whenever the
    /// spec changes (a change of metadata alone keeps it), a Deployment's revision, which its controller wrote and a
    /// replacing object does not carry, and a StatefulSet's recorded pods (<see cref="Engine.Workloads.SetRevisions"/>),
    /// none on a new one.
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

        // A StatefulSet's pods are the ones its controller records (none yet): an OrderedReady set's come one by one.
        if (document.Key is { Group: "apps", Kind: "StatefulSet" } && !document.Annotations.ContainsKey(Engine.Workloads.SetRevisions.PodRevisionsAnnotation))
        {
            document.StampAnnotation(Engine.Workloads.SetRevisions.PodRevisionsAnnotation, stored?.Annotations.GetValueOrDefault(Engine.Workloads.SetRevisions.PodRevisionsAnnotation) ?? "");
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
        var owners = _managed.ToBuilder();
        var outcomes = new List<ObjectOutcome>();
        var missing = new List<ObjectKey>();
        foreach (var key in keys.Distinct())
        {
            if (!builder.Remove(key))
            {
                missing.Add(key);
                continue;
            }

            owners.Remove(key);
            outcomes.Add(new ObjectOutcome(key, "deleted"));
            if (key is { Group: "", Kind: "Namespace" })
            {
                foreach (var inside in builder.Keys.Where(k => k.Namespace == key.Name).ToList())
                {
                    builder.Remove(inside);
                    owners.Remove(inside);
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
                owners.Remove(dependent);
            }
        }

        return new LabChange(new LabManifests(builder.ToImmutable(), owners.ToImmutable(), this, outcomes.Select(o => o.Key)), outcomes, missing);
    }

    /// <summary>
    /// Sets (<c>value</c>) or removes (<c>null</c>) labels on one object. Changing an existing label's value needs
    /// <paramref name="overwrite"/>, as with <c>kubectl label --overwrite</c>.
    /// </summary>
    /// <param name="managed">The object's managed fields after the change, when the API wrote it (else it keeps its own).</param>
    /// <exception cref="InvalidOperationException">A label would change without <paramref name="overwrite"/>; the message is kubectl's.</exception>
    public LabChange Label(ObjectKey key, IReadOnlyDictionary<string, string?> changes, bool overwrite, ImmutableArray<ManagedFieldsEntry>? managed = null)
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
        var owners = WithOwners(managed is { } entries ? new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> { [key] = entries } : null, out var ownersChanged);
        var outcome = labeled.SameAs(document) && ownersChanged.Count == 0 ? "not labeled" : "labeled";
        return new LabChange(new LabManifests(_documents.SetItem(key, labeled), owners, this, ownersChanged.Append(key)), [new ObjectOutcome(key, outcome)], []);
    }

    /// <summary>The managed fields with <paramref name="managed"/> set (an empty list removes an object's), and the objects whose owners changed.</summary>
    private ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> WithOwners(IReadOnlyDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>? managed, out HashSet<ObjectKey> changed)
    {
        changed = [];
        if (managed is null)
        {
            return _managed;
        }

        var owners = _managed.ToBuilder();
        foreach (var (key, entries) in managed)
        {
            var had = _managed.GetValueOrDefault(key, []);
            if (!had.SequenceEqual(entries))
            {
                changed.Add(key);
            }

            if (entries.IsEmpty)
            {
                owners.Remove(key);
            }
            else
            {
                owners[key] = entries;
            }
        }

        return owners.ToImmutable();
    }
}
