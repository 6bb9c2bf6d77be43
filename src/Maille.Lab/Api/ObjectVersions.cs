using System.Collections.Immutable;
using k8s;
using Maille.Engine;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Api;

/// <summary>
/// Each served object's <c>metadata.resourceVersion</c>: the store version at which its model last changed, as the
/// API server gives each object the revision of its last write. Found by comparing each object's model with the one
/// it had (the same instance when a plan kept it, so most comparisons are a reference check).
/// </summary>
internal sealed class ObjectVersions
{
    /// <summary>Replaced whole at each <see cref="Advance"/>, so that a reader keeps the versions of the state it read.</summary>
    private Dictionary<ApiResource, Dictionary<string, (ApiObject Object, long Version)>> _byResource = [];

    private ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> _managed = ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>.Empty;

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
    /// by kind: the change type, and the object (a deleted one as last seen, written while its plan is still at hand).
    /// An object whose managed fields changed (a second manager applying the same value) changed too, as on the API
    /// server, where managed fields are part of the stored object.
    /// </summary>
    public List<(ApiResource Resource, string Type, ApiObject Object)> Advance(ClusterState cluster, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> managed, long version)
    {
        var managedBefore = _managed;
        _managed = managed;
        var changes = new List<(ApiResource, string, ApiObject)>();
        var next = new Dictionary<ApiResource, Dictionary<string, (ApiObject Object, long Version)>>(_byResource.Count);
        foreach (var resource in ApiResources.All)
        {
            var before = _byResource.GetValueOrDefault(resource) ?? [];
            var now = new Dictionary<string, (ApiObject Object, long Version)>(before.Count, StringComparer.Ordinal);
            foreach (var item in resource.Objects(cluster))
            {
                var key = item.Meta.QualifiedName;
                if (before.TryGetValue(key, out var known) && Unchanged(known.Object, item)
                    && (ReferenceEquals(managedBefore, managed) || SameOwners(managedBefore, managed, ApiJson.KeyOf(resource, item))))
                {
                    now[key] = (item, known.Version);
                    continue;
                }

                now[key] = (item, version);
                changes.Add((resource, before.ContainsKey(key) ? "MODIFIED" : "ADDED", item));
            }

            foreach (var (key, gone) in before)
            {
                if (!now.ContainsKey(key))
                {
                    changes.Add((resource, "DELETED", gone.Object));
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

    private static bool SameOwners(ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> before, ImmutableDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> now, ObjectKey key)
    {
        var had = before.GetValueOrDefault(key);
        var has = now.GetValueOrDefault(key);
        return (had.IsDefaultOrEmpty && has.IsDefaultOrEmpty) || (!had.IsDefault && !has.IsDefault && (had == has || had.SequenceEqual(has)));
    }
}
