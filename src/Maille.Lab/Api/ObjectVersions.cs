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
    /// What the objects are written from besides their models is what it was (<see cref="ServedFacts.Unchanged"/>): an
    /// object whose model is the very same instance is unchanged without working out what it is written from, which
    /// at 10,000 Services is most of the cost of a publication that changed one pod.
    /// </param>
    public List<(ApiResource Resource, string Type, ApiObject Object, ApiObject? Before)> Advance(ClusterState cluster, long version, Func<ApiResource, ApiObject, ServedExtra> extra, PodAvailability? availability, ApiResource? only = null, bool factsKept = false)
    {
        var changes = new List<(ApiResource, string, ApiObject, ApiObject?)>();
        var next = new Dictionary<ApiResource, Dictionary<string, (ApiObject Object, long Version, ServedExtra Extra)>>(_byResource.Count);
        foreach (var resource in ApiResources.All)
        {
            if (only is not null && resource != only && _byResource.TryGetValue(resource, out var kept))
            {
                next[resource] = kept;
                continue;
            }

            var before = _byResource.GetValueOrDefault(resource) ?? [];
            var now = new Dictionary<string, (ApiObject Object, long Version, ServedExtra Extra)>(before.Count, StringComparer.Ordinal);
            foreach (var item in resource.Objects(cluster, availability))
            {
                var key = item.Meta.QualifiedName;
                if (factsKept && before.TryGetValue(key, out var same) && ReferenceEquals(same.Object.Model, item.Model))
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
