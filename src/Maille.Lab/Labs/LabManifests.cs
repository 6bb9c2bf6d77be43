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
    private readonly ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> _managed;

    private LabManifests(ImmutableSortedDictionary<ObjectKey, ManifestDocument> documents, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> managed)
    {
        _documents = documents;
        _managed = managed;
    }

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

    public bool TryGet(ObjectKey key, out ManifestDocument document) => _documents.TryGetValue(key, out document!);

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
            if (document.CreationTimestamp is null)
            {
                document.StampCreation(builder.TryGetValue(document.Key, out var stored) ? stored.CreationTimestamp ?? created : created);
            }

            var outcome = !_documents.TryGetValue(document.Key, out var existing) ? "created"
                : existing.SameAs(document) && !ownersChanged.Contains(document.Key) ? "unchanged" : "configured";
            outcomes[document.Key] = outcomes.TryGetValue(document.Key, out var earlier) && earlier == "created" ? "created" : outcome;
            builder[document.Key] = document;
        }

        return new LabChange(new LabManifests(builder.ToImmutable(), owners), [.. outcomes.Select(o => new ObjectOutcome(o.Key, o.Value))], []);
    }

    /// <summary>
    /// Removes each object; deleting a Namespace deletes every object in it, as the namespace controller does.
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

        return new LabChange(new LabManifests(builder.ToImmutable(), owners.ToImmutable()), outcomes, missing);
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
        return new LabChange(new LabManifests(_documents.SetItem(key, labeled), owners), [new ObjectOutcome(key, outcome)], []);
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
