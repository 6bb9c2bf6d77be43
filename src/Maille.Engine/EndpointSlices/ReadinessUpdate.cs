using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// A running lab's commonest change: pods turning ready or not, nothing else. Planning the whole cluster again for it
/// costs as much as the first plan (all Services, all slices); this recomputes only the pods whose readiness changed
/// and the slices of the Services that select them, with the same <see cref="EndpointSliceBuilder"/> the planner uses,
/// so the result equals a full plan with the new readiness. Every other list and index is shared with the old state.
/// </summary>
public static class ReadinessUpdate
{
    /// <summary>
    /// <paramref name="cluster"/>, planned with <paramref name="before"/> as observed readiness, as if planned with
    /// <paramref name="after"/>; null when that cannot be done this way (a pod lost its observed readiness, so it would
    /// fall back to its manifest's, which the planned state no longer holds): plan again.
    /// </summary>
    public static ClusterState? Apply(ClusterState cluster, IReadOnlyDictionary<string, bool> before, IReadOnlyDictionary<string, bool> after)
    {
        if (before.Keys.Any(k => !after.ContainsKey(k) && cluster.PodsByName.ContainsKey(k)))
        {
            return null;
        }

        var changed = new Dictionary<string, Pod>(StringComparer.Ordinal);
        foreach (var (name, ready) in after)
        {
            if (cluster.PodsByName.TryGetValue(name, out var pod) && pod.Status.Ready != ready)
            {
                changed[name] = pod with { Status = pod.Status with { Ready = ready } };
            }
        }

        if (changed.Count == 0)
        {
            return cluster;
        }

        var pods = cluster.Pods.Select(p => changed.GetValueOrDefault(p.QualifiedName, p)).ToList();
        var replaced = SliceRecompute.For(cluster, pods, changed.Values);
        return cluster.WithPodsAndSlices(pods, replaced);
    }
}
