using Maille.Engine.Allocation;
using Maille.Engine.EndpointSlices;
using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;
using Maille.Engine.LoadBalancing;
using Maille.Engine.Validation;
using Maille.Engine.Workloads;
using Maille.Model;

namespace Maille.Engine;

/// <summary>
/// The engine's entry point: validates a manifest set against the cluster configuration and, when nothing is wrong,
/// plans the cluster (nodes, pods, addresses, Services, EndpointSlices). Pure and deterministic: the same input, in
/// any file order, gives the same plan.
/// </summary>
public static class ClusterPlanner
{
    /// <param name="observedReadiness">
    /// Readiness observed by a running lab (<c>namespace/name</c> → ready), which overrides the input's for those pods,
    /// so that EndpointSlices follow readiness probes. Null offline.
    /// </param>
    /// <param name="prior">What an earlier plan of the same cluster allocated, kept where it still fits (a running lab).</param>
    /// <param name="sliceCache">A running lab's slices of its earlier plans, reused where nothing they depend on changed.</param>
    public static PlanResult Plan(ManifestSet manifests, ClusterConfig config, IEnumerable<Diagnostic>? earlier = null, IReadOnlyDictionary<string, bool>? observedReadiness = null, PriorAllocations? prior = null, EndpointSliceCache? sliceCache = null)
    {
        var (allocated, diagnostics) = Allocate(manifests, config, earlier, observedReadiness, prior);
        if (allocated is not { } a)
        {
            return new PlanResult(null, diagnostics);
        }

        var candidates = new EndpointCandidates(a.Pods);
        var generatedSlices = a.Services.SelectMany(s => sliceCache is null
            ? EndpointSliceBuilder.FromSelected(s, candidates.Of(s))
            : sliceCache.Slices(s, candidates.Of(s)));
        var selectorServices = a.Services.Where(s => s.Selector is not null).Select(s => s.QualifiedName).ToHashSet(StringComparer.Ordinal);

        // Slices given for a selector Service that the Kubernetes controller manages are recomputed; any other given
        // slice (a selector-less Service's, or one managed by someone else) is taken as it is.
        var givenSlices = a.Manifests.EndpointSlices.Where(s =>
            !(s.Meta.Labels.Get(EndpointSlice.ManagedByLabel) == EndpointSliceBuilder.ControllerName
              && selectorServices.Contains($"{s.Namespace}/{s.ServiceName}")));

        var cluster = new ClusterState(a.Config, a.Nodes, a.Namespaces, a.Pods, a.Services, generatedSlices.Concat(givenSlices), a.Manifests, diagnostics)
        {
            LoadBalancing = a.LoadBalancing,
        };
        return new PlanResult(cluster, diagnostics);
    }

    /// <summary>
    /// What <see cref="Plan"/> decides before it builds EndpointSlices and the state's indexes: every pod's node and
    /// address, every Service's IPs and ports; null with the errors when the input is not valid. A lab pinning its own
    /// objects around the user's needs only these.
    /// </summary>
    public static (PriorAllocations? Allocations, IReadOnlyList<Diagnostic> Diagnostics) Allocations(ManifestSet manifests, ClusterConfig config, IEnumerable<Diagnostic>? earlier = null, IReadOnlyDictionary<string, bool>? observedReadiness = null, PriorAllocations? prior = null)
    {
        var (allocated, diagnostics) = Allocate(manifests, config, earlier, observedReadiness, prior);
        return (allocated is { } a ? PriorAllocations.From(a.Pods, a.Services) : null, diagnostics);
    }

    private static (Allocated? Allocated, List<Diagnostic> Diagnostics) Allocate(ManifestSet manifests, ClusterConfig config, IEnumerable<Diagnostic>? earlier, IReadOnlyDictionary<string, bool>? observedReadiness, PriorAllocations? prior)
    {
        prior ??= PriorAllocations.None;
        var diagnostics = new List<Diagnostic>(earlier ?? []);
        config = ServiceCidrInference.Apply(manifests, config, diagnostics);
        ClusterValidator.Validate(manifests, config, diagnostics);
        var namespaces = ClusterValidator.ResolveNamespaces(manifests, diagnostics);
        var nodes = NodeTopology.Build(manifests, config, diagnostics);
        LoadBalancerPools.Validate(manifests, config, nodes, diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return (null, diagnostics);
        }

        var generated = WorkloadsToExpand(manifests)
            .OrderBy(w => w.Meta.QualifiedName, StringComparer.Ordinal)
            .SelectMany(w => WorkloadExpander.Expand(w, nodes, manifests.ControllerRevisions))
            .ToList();
        if (!CheckGeneratedNames(manifests.Pods, generated, diagnostics))
        {
            return (null, diagnostics);
        }

        var nodesByName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var scheduled = PodScheduler.Schedule(prior.Pin(manifests.Pods.Concat(generated), nodesByName), nodes, diagnostics);
        var pods = PodAddressAllocator.Assign(scheduled, nodesByName, diagnostics);
        if (observedReadiness is not null)
        {
            pods = [.. pods.Select(p => observedReadiness.TryGetValue(p.QualifiedName, out var ready) ? p with { Status = p.Status with { Ready = ready } } : p)];
        }

        manifests = GatewayServices.With(manifests);
        var assigned = ServiceAllocator.Assign(prior.Pin(manifests.Services, config, diagnostics), config, diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return (null, diagnostics);
        }

        var (pools, advertisements) = LoadBalancerPools.Effective(manifests, config);
        var (services, loadBalancing) = LoadBalancerAllocator.Assign(assigned, pools, advertisements, namespaces, diagnostics);
        manifests = manifests with { Ingresses = IngressStatusPublisher.Publish(manifests, services) };
        return (new Allocated(config, nodes, namespaces, pods, services, loadBalancing, manifests), diagnostics);
    }

    /// <summary>
    /// The workloads whose pods Maille generates. A dump already holds the pods a controller made (their
    /// <c>ownerReferences</c> name it), and a Deployment's ReplicaSet: expanding those again would double every endpoint.
    /// </summary>
    private static IEnumerable<Workload> WorkloadsToExpand(ManifestSet manifests)
    {
        var controlled = manifests.Pods.Where(p => p.Owner is not null)
            .Select(p => (p.Namespace, p.Owner!.Kind, p.Owner.Name)).ToHashSet();
        var controlledDeployments = manifests.Workloads.Where(w => w.Kind == WorkloadKind.ReplicaSet && w.Owner?.Kind == "Deployment")
            .Select(w => (w.Meta.Namespace!, w.Owner!.Name)).ToHashSet();
        return manifests.Workloads.Where(w =>
            !controlled.Contains((w.Meta.Namespace!, w.Kind.ToString(), w.Meta.Name))
            && !(w.Kind == WorkloadKind.Deployment && controlledDeployments.Contains((w.Meta.Namespace!, w.Meta.Name))));
    }

    /// <summary>A generated pod may not take the name of a declared one (a StatefulSet's <c>db-0</c> beside a Pod <c>db-0</c>).</summary>
    private static bool CheckGeneratedNames(IEnumerable<Pod> declared, IEnumerable<Pod> generated, List<Diagnostic> diagnostics)
    {
        var names = declared.ToDictionary(p => p.QualifiedName, StringComparer.Ordinal);
        var ok = true;
        foreach (var pod in generated)
        {
            if (names.TryGetValue(pod.QualifiedName, out var other))
            {
                diagnostics.Add(new Diagnostic
                {
                    Type = FieldErrorType.Duplicate,
                    File = other.Meta.Source.File,
                    Line = other.Meta.Source.LineOf("metadata.name"),
                    Object = new ObjectRef("Pod", pod.Namespace, pod.Name),
                    Field = "metadata.name",
                    Value = Diagnostic.Quote(pod.Name),
                    Detail = $"{pod.Owner?.Kind} {pod.Namespace}/{pod.Owner?.Name} would create a pod of the same name",
                });
                ok = false;
            }
            else
            {
                names[pod.QualifiedName] = pod;
            }
        }

        return ok;
    }

    /// <summary>The planned objects before slices: the configuration as inferred, and the input with Ingress status.</summary>
    private readonly record struct Allocated(ClusterConfig Config, IReadOnlyList<Node> Nodes, IReadOnlyList<Namespace> Namespaces, IReadOnlyList<Pod> Pods, IReadOnlyList<Service> Services, LoadBalancerPlan LoadBalancing, ManifestSet Manifests);
}
