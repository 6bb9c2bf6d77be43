using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Engine.Validation;
using Maille.Engine.Workloads;
using Maille.Model;

namespace Maille.Engine;

/// <summary>
/// The engine's entry point: validates a manifest set against the cluster configuration and, when nothing is wrong,
/// plans the cluster (nodes, pods, addresses, Services, EndpointSlices). Pure and deterministic: the same input, in
/// any file order, gives the same plan.
/// </summary>
internal static class ClusterPlanner
{
    /// <param name="observedReadiness">
    /// Readiness observed by a running lab (<c>namespace/name</c> → ready), which overrides the input's for those pods,
    /// so that EndpointSlices follow readiness probes. Null offline.
    /// </param>
    public static PlanResult Plan(ManifestSet manifests, ClusterConfig config, IEnumerable<Diagnostic>? earlier = null, IReadOnlyDictionary<string, bool>? observedReadiness = null)
    {
        var diagnostics = new List<Diagnostic>(earlier ?? []);
        ClusterValidator.Validate(manifests, config, diagnostics);
        var namespaces = ClusterValidator.ResolveNamespaces(manifests, diagnostics);
        var nodes = NodeTopology.Build(manifests, config, diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return new PlanResult(null, diagnostics);
        }

        var generated = manifests.Workloads
            .OrderBy(w => w.Meta.QualifiedName, StringComparer.Ordinal)
            .SelectMany(w => WorkloadExpander.Expand(w, nodes));
        var scheduled = PodScheduler.Schedule(manifests.Pods.Concat(generated), nodes, diagnostics);
        var nodesByName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var pods = PodAddressAllocator.Assign(scheduled, nodesByName, diagnostics);
        if (observedReadiness is not null)
        {
            pods = [.. pods.Select(p => observedReadiness.TryGetValue(p.QualifiedName, out var ready) ? p with { Status = p.Status with { Ready = ready } } : p)];
        }

        var services = ServiceAllocator.Assign(manifests.Services, config, diagnostics);

        var podsByNamespace = pods.ToLookup(p => p.Namespace, StringComparer.Ordinal);
        var generatedSlices = services.SelectMany(s => EndpointSliceBuilder.Build(s, podsByNamespace[s.Namespace]));
        var selectorServices = services.Where(s => s.Selector is not null).Select(s => s.QualifiedName).ToHashSet(StringComparer.Ordinal);

        // Slices given for a selector Service that the Kubernetes controller manages are recomputed; any other given
        // slice (a selector-less Service's, or one managed by someone else) is taken as it is.
        var givenSlices = manifests.EndpointSlices.Where(s =>
            !(s.Meta.Labels.Get(EndpointSlice.ManagedByLabel) == EndpointSliceBuilder.ControllerName
              && selectorServices.Contains($"{s.Namespace}/{s.ServiceName}")));

        var cluster = new ClusterState(config, nodes, namespaces, pods, services, generatedSlices.Concat(givenSlices), manifests, diagnostics);
        return new PlanResult(cluster, diagnostics);
    }
}
