using Maille.Engine.LoadBalancing;
using Maille.Model;

namespace Maille.Engine;

public sealed partial class ClusterState
{
    /// <summary>
    /// This cluster with some pods, Services and EndpointSlices put or removed, everything else kept. A kind that did
    /// not change keeps its very list and index; one that did gets a copy edited in place (a walk and a dictionary
    /// copy), not a sort and an index built again. A node agent that follows the API applies one batch of watch events
    /// at a time: at 10,000 Services the constructor costs tens of milliseconds and a gen-2 garbage collection now and
    /// then, this a copy. The result is the one the constructor would make of the same objects.
    /// </summary>
    /// <param name="loadBalancing">The LoadBalancer plan to carry, when it was worked out again; else this cluster's.</param>
    public ClusterState WithObjects(ObjectChanges<Pod> pods, ObjectChanges<Service> services, ObjectChanges<EndpointSlice> slices, LoadBalancerPlan? loadBalancing = null)
    {
        var podList = Edited(Pods, pods, p => p.QualifiedName, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name), null);
        var serviceList = Edited(Services, services, s => s.QualifiedName, (a, b) => CompareQualified(a.Namespace, a.Name, b.Namespace, b.Name), null);
        var droppedSlices = new List<EndpointSlice>();
        var sliceList = Edited(EndpointSlices, slices, s => s.Meta.QualifiedName, CompareSlices, droppedSlices);
        var byService = slices.IsEmpty ? SlicesByService : SlicesRegrouped(droppedSlices, slices.Put);
        return new ClusterState(this, podList, serviceList, sliceList, byService, Warnings, Indexed(PodsByName, pods, p => p.QualifiedName), Indexed(ServicesByName, services, s => s.QualifiedName))
        {
            LoadBalancing = loadBalancing ?? LoadBalancing,
        };
    }

    /// <summary>
    /// <paramref name="sorted"/> without the removed and replaced items, with the put ones merged in at their places
    /// (the same list when nothing changed); the items taken out are added to <paramref name="dropped"/>.
    /// </summary>
    private static IReadOnlyList<T> Edited<T>(IReadOnlyList<T> sorted, ObjectChanges<T> changes, Func<T, string> key, Comparison<T> compare, List<T>? dropped)
    {
        if (changes.IsEmpty)
        {
            return sorted;
        }

        var leaving = new HashSet<string>(changes.Removed, StringComparer.Ordinal);
        leaving.UnionWith(changes.Put.Select(key));
        var kept = new List<T>(sorted.Count + changes.Put.Count);
        foreach (var item in sorted)
        {
            if (leaving.Contains(key(item)))
            {
                dropped?.Add(item);
            }
            else
            {
                kept.Add(item);
            }
        }

        var put = changes.Put.ToArray();
        Array.Sort(put, compare);
        return Merge<T>(kept.ToArray(), put, compare);
    }

    /// <summary>A copy of <paramref name="index"/> with the changes made (the same index when nothing changed).</summary>
    private static IReadOnlyDictionary<string, T> Indexed<T>(IReadOnlyDictionary<string, T> index, ObjectChanges<T> changes, Func<T, string> key)
    {
        if (changes.IsEmpty)
        {
            return index;
        }

        var copy = index is Dictionary<string, T> plain ? new Dictionary<string, T>(plain, StringComparer.Ordinal) : index.ToDictionary(StringComparer.Ordinal);
        foreach (var name in changes.Removed)
        {
            copy.Remove(name);
        }

        foreach (var item in changes.Put)
        {
            copy[key(item)] = item;
        }

        return copy;
    }

    /// <summary>
    /// The slices by Service with <paramref name="dropped"/> taken out of their Services' lists and <paramref name="put"/>
    /// added to theirs, each touched list in the constructor's order.
    /// </summary>
    private Dictionary<string, IReadOnlyList<EndpointSlice>> SlicesRegrouped(List<EndpointSlice> dropped, IReadOnlyList<EndpointSlice> put)
    {
        var byService = SlicesByService is Dictionary<string, IReadOnlyList<EndpointSlice>> plain
            ? new Dictionary<string, IReadOnlyList<EndpointSlice>>(plain, StringComparer.Ordinal)
            : SlicesByService.ToDictionary(StringComparer.Ordinal);
        var leaving = dropped.ToHashSet(ReferenceEqualityComparer.Instance);
        var arriving = put.Where(s => s.ServiceName is not null).ToLookup(s => $"{s.Namespace}/{s.ServiceName}", StringComparer.Ordinal);
        var touched = dropped.Where(s => s.ServiceName is not null).Select(s => $"{s.Namespace}/{s.ServiceName}").Concat(arriving.Select(g => g.Key)).ToHashSet(StringComparer.Ordinal);
        foreach (var service in touched)
        {
            var slices = (byService.TryGetValue(service, out var before) ? before : []).Where(s => !leaving.Contains(s)).Concat(arriving[service]).ToArray();
            Array.Sort(slices, CompareSlices);
            if (slices.Length == 0)
            {
                byService.Remove(service);
            }
            else
            {
                byService[service] = slices;
            }
        }

        return byService;
    }
}
