using Maille.Model;

namespace Maille.Engine.Workloads;

/// <summary>
/// Places pods on nodes deterministically: <c>spec.nodeName</c> as given; otherwise among schedulable nodes matching
/// <c>nodeSelector</c>, the one with the fewest pods of the same owner, then the fewest pods, then the first by order.
/// </summary>
internal static class PodScheduler
{
    public static IReadOnlyList<Pod> Schedule(IEnumerable<Pod> pods, IReadOnlyList<Node> nodes, List<Diagnostic> diagnostics)
    {
        var total = nodes.ToDictionary(n => n.Name, _ => 0, StringComparer.Ordinal);
        var perOwner = new Dictionary<(string?, string, string), int>();
        var ordered = pods.OrderBy(p => p.Spec.NodeName is null ? 1 : 0)
            .ThenBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Owner?.Name ?? p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Name.Length)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var result = new List<Pod>(ordered.Count);
        foreach (var pod in ordered)
        {
            var owner = (pod.Namespace, pod.Owner?.Kind ?? "Pod", pod.Owner?.Name ?? pod.Name);
            var nodeName = pod.Spec.NodeName;
            if (nodeName is null)
            {
                var eligible = nodes.Where(n => !n.Unschedulable && WorkloadExpander.Matches(pod.Spec.NodeSelector, n)).ToList();
                if (eligible.Count == 0)
                {
                    diagnostics.Add(new Diagnostic
                    {
                        Type = FieldErrorType.Warning,
                        File = pod.Meta.Source.File,
                        // A generated pod's source is its workload's manifest, where the selector sits in the template.
                        Line = pod.Meta.Source.LineOf(pod.Owner is null ? "spec.nodeSelector" : "spec.template.spec.nodeSelector"),
                        Object = new ObjectRef("Pod", pod.Namespace, pod.Name),
                        Field = "spec.nodeSelector",
                        Detail = $"no schedulable node matches {pod.Spec.NodeSelector}; the pod stays Pending",
                    });
                    result.Add(pod with { Status = pod.Status with { Phase = "Pending", Ready = false } });
                    continue;
                }

                nodeName = eligible
                    .OrderBy(n => perOwner.GetValueOrDefault((owner.Item1, owner.Item2, owner.Item3 + "@" + n.Name)))
                    .ThenBy(n => total[n.Name])
                    .First().Name;
            }

            total[nodeName] = total.GetValueOrDefault(nodeName) + 1;
            var key = (owner.Item1, owner.Item2, owner.Item3 + "@" + nodeName);
            perOwner[key] = perOwner.GetValueOrDefault(key) + 1;
            result.Add(pod with { Spec = pod.Spec with { NodeName = nodeName } });
        }

        return result;
    }
}
