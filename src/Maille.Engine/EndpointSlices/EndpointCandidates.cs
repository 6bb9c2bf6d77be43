using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// The pods of a cluster indexed by namespace and label, so that finding a Service's endpoints looks at the pods that
/// carry one of its selector's labels instead of at every pod of its namespace: 10,000 Services over 10,000 pods would
/// otherwise test a hundred million pairs.
/// </summary>
internal sealed class EndpointCandidates
{
    private readonly Dictionary<(string Namespace, string Key, string Value), List<Pod>> _byLabel = [];

    /// <param name="pods">In any order; each label's list keeps name order, the order of a slice's endpoints.</param>
    public EndpointCandidates(IEnumerable<Pod> pods)
    {
        foreach (var pod in pods.OrderBy(p => p.QualifiedName, StringComparer.Ordinal))
        {
            foreach (var (key, value) in pod.Labels.Pairs)
            {
                if (!_byLabel.TryGetValue((pod.Namespace, key, value), out var list))
                {
                    _byLabel[(pod.Namespace, key, value)] = list = [];
                }

                list.Add(pod);
            }
        }
    }

    /// <summary>The pods that are endpoints of <paramref name="service"/> (<see cref="EndpointSliceBuilder.IsEndpointOf"/>), in name order.</summary>
    public IReadOnlyList<Pod> Of(Service service)
    {
        if (service.Selector is not { Count: > 0 } selector)
        {
            return [];
        }

        // The rarest of the selector's labels gives the fewest pods to test.
        List<Pod>? fewest = null;
        foreach (var (key, value) in selector.Pairs)
        {
            if (!_byLabel.TryGetValue((service.Namespace, key, value), out var list))
            {
                return [];
            }

            if (fewest is null || list.Count < fewest.Count)
            {
                fewest = list;
            }
        }

        return [.. fewest!.Where(p => EndpointSliceBuilder.IsEndpointOf(service, p))];
    }
}
