using k8s;
using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;

namespace Maille.Lab.Api;

/// <summary>
/// Each served object's <c>metadata.resourceVersion</c>: the store version at which its model last changed, as the
/// API server gives each object the revision of its last write. Found by comparing each object's model with the one
/// it had (the same instance when a plan kept it, so most comparisons are a reference check), and what else it is
/// written from (<see cref="ServedExtra"/>: a change of a field the engine does not model, an <c>env</c>, is a change).
/// </summary>
internal sealed class ObjectVersions
{
    /// <summary>Replaced whole at each <see cref="Advance"/>, so that a reader keeps the versions of the state it read.</summary>
    private Dictionary<ApiResource, Dictionary<string, (ApiObject Object, long Version, ServedExtra Extra)>> _byResource = [];

    /// <summary>The plan's collection each kind with a <see cref="ApiResource.Source"/> was last read from.</summary>
    private Dictionary<ApiResource, object> _sources = [];

    /// <summary>The versions as they are now, unchanged by later advances.</summary>
    public Func<ApiResource, string, long?> Now
    {
        get
        {
            var byResource = _byResource;
            return (resource, key) => byResource.TryGetValue(resource, out var objects) && objects.TryGetValue(key, out var known) ? known.Version : null;
        }
    }

    /// <summary>
    /// Takes in the objects of <paramref name="cluster"/> at <paramref name="version"/> and returns what changed, kind
    /// by kind: the change type, the object (a deleted one as last seen, written while its plan is still at hand), and
    /// what it was before a change.
    /// </summary>
    /// <param name="extra">What else each object is written from (<see cref="ApiView.Extra"/>).</param>
    /// <param name="availability">Which pods count as available (<see cref="ApiResource.Objects"/>).</param>
    /// <param name="only">Only this kind changed (a lease renewed): the others keep what they had, unread.</param>
    /// <param name="factsKept">
    /// Whether what an object is written from besides its model is what it was (<see cref="ApiView.FactsUnchangedSince"/>);
    /// null when that cannot be known. An object whose model is the very same instance and whose facts are kept is
    /// unchanged without working out what it is written from, which at 10,000 Services is most of the cost of a
    /// publication that changed one pod.
    /// </param>
    /// <param name="kindKept">
    /// Whether no object of a kind has other facts than it had (null: not known). A kind read from the very same
    /// collection of the plan as before (<see cref="ApiResource.Source"/>) is then skipped whole: a pod deleted in a lab
    /// of 10,000 Services does not walk the Services.
    /// </param>
    public List<(ApiResource Resource, string Type, ApiObject Object, ApiObject? Before)> Advance(ClusterState cluster, long version, Func<ApiResource, ApiObject, ServedExtra> extra, PodAvailability? availability, ApiResource? only = null, Func<ApiResource, ApiObject, bool>? factsKept = null, Func<ApiResource, bool>? kindKept = null)
    {
        var changes = new List<(ApiResource, string, ApiObject, ApiObject?)>();
        var next = new Dictionary<ApiResource, Dictionary<string, (ApiObject Object, long Version, ServedExtra Extra)>>(_byResource.Count);
        var sources = only is null ? new Dictionary<ApiResource, object>(_sources.Count) : _sources;
        foreach (var resource in ApiResources.All)
        {
            if (only is not null && resource != only && _byResource.TryGetValue(resource, out var kept))
            {
                next[resource] = kept;
                continue;
            }

            // No object of this kind has other facts than before: the same model is the same object. Asked once per
            // kind (a walk of the change's touched keys).
            var kindFactsKept = kindKept?.Invoke(resource) == true;
            var source = only is null ? resource.Source?.Invoke(cluster) : null;
            if (source is not null)
            {
                sources[resource] = source;
                if (kindFactsKept && _sources.TryGetValue(resource, out var read) && ReferenceEquals(read, source)
                    && _byResource.TryGetValue(resource, out var same))
                {
                    next[resource] = same;
                    continue;
                }
            }

            var before = _byResource.GetValueOrDefault(resource) ?? [];
            var now = new Dictionary<string, (ApiObject Object, long Version, ServedExtra Extra)>(before.Count, StringComparer.Ordinal);
            foreach (var item in resource.Objects(cluster, availability))
            {
                var key = item.Meta.QualifiedName;
                if (factsKept is not null && before.TryGetValue(key, out var same) && ReferenceEquals(same.Object.Model, item.Model) && (kindFactsKept || factsKept(resource, item)))
                {
                    now[key] = (item, same.Version, same.Extra);
                    continue;
                }

                var written = extra(resource, item);
                if (before.TryGetValue(key, out var known) && known.Extra == written && Unchanged(known.Object, item))
                {
                    now[key] = (item, known.Version, written);
                    continue;
                }

                now[key] = (item, version, written);
                if (before.ContainsKey(key) && !ObjectUid.Same(known.Object.Meta, item.Meta))
                {
                    // Deleted and made again under its name (a StatefulSet's pod): watchers see the old object go and
                    // a new one come, as the API server shows two objects of one name.
                    changes.Add((resource, "DELETED", known.Object, null));
                    changes.Add((resource, "ADDED", item, null));
                    continue;
                }

                changes.Add((resource, before.ContainsKey(key) ? "MODIFIED" : "ADDED", item, before.ContainsKey(key) ? known.Object : null));
            }

            foreach (var (key, gone) in before)
            {
                if (!now.ContainsKey(key))
                {
                    changes.Add((resource, "DELETED", gone.Object, null));
                }
            }

            next[resource] = now;
        }

        _byResource = next;
        _sources = sources;
        return changes;
    }

    /// <summary>
    /// The same model (most objects of a lab's next plan are the very same values), or, when the models differ in
    /// what is not written (where in which file the object was read), the same Kubernetes object.
    /// </summary>
    private static bool Unchanged(ApiObject before, ApiObject now) =>
        ReferenceEquals(before.Model, now.Model) || before.Model.Equals(now.Model)
        || KubernetesJson.Serialize(before.Write()) == KubernetesJson.Serialize(now.Write());
}
