using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// The slices an incremental update must replace: those of every selector Service that selects one of the touched pods
/// (in any of their versions, before or after the change), built again from the pods as they are now with the same
/// <see cref="EndpointSliceBuilder"/> the planner uses. Slices someone else manages for such a Service are kept, as the
/// planner keeps them.
/// </summary>
internal static class SliceRecompute
{
    public static Dictionary<string, IReadOnlyList<EndpointSlice>> For(ClusterState cluster, IReadOnlyList<Pod> pods, IReadOnlyCollection<Pod> touched)
    {
        var replaced = new Dictionary<string, IReadOnlyList<EndpointSlice>>(StringComparer.Ordinal);
        var namespaces = touched.Select(p => p.Namespace).ToHashSet(StringComparer.Ordinal);
        if (namespaces.Count == 0)
        {
            return replaced;
        }

        var candidates = new EndpointCandidates(pods.Where(p => namespaces.Contains(p.Namespace)));
        foreach (var service in cluster.Services.Where(s => s.Selector is not null && namespaces.Contains(s.Namespace)))
        {
            if (!touched.Any(p => p.Namespace == service.Namespace && EndpointSliceBuilder.Selects(service.Selector!, p.Labels)))
            {
                continue;
            }

            var others = cluster.SlicesFor(service).Where(s => s.Meta.Labels.Get(EndpointSlice.ManagedByLabel) != EndpointSliceBuilder.ControllerName);
            replaced[service.QualifiedName] = [.. EndpointSliceBuilder.FromSelected(service, candidates.Of(service)).Concat(others)
                .OrderBy(s => s.Meta.Name, StringComparer.Ordinal)];
        }

        return replaced;
    }
}
