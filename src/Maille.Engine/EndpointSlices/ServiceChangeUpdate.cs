using Maille.Engine.Allocation;
using Maille.Engine.Validation;
using Maille.Model;

namespace Maille.Engine.EndpointSlices;

/// <summary>
/// A running lab's change that only adds or deletes Services that ask for no particular address and are no
/// LoadBalancers. Every other Service keeps its ClusterIP and node ports (a lab plans with its allocations), so a new
/// Service gets what the allocator gives it against the values the others hold, which is what a full plan gives it;
/// its slices are built from the pods of its namespace; a deleted Service takes its slices along. Nothing else in the
/// state depends on such a Service: LoadBalancer addresses and Ingress status come from LoadBalancer Services only.
/// The cost is one pass over the Services to reserve their values, instead of planning the lab.
/// </summary>
public static class ServiceChangeUpdate
{
    /// <summary>
    /// <paramref name="cluster"/> without the Services named in <paramref name="removed"/> and with
    /// <paramref name="added"/> (as read from their manifests); null when the change is not of this kind and a full
    /// plan must decide: a LoadBalancer, a requested ClusterIP, node port or health-check port, a Service that exists
    /// already or is unknown, a namespace no manifest declares, an exhausted range, or an input that carries
    /// EndpointSlices of its own (<paramref name="inputHasEndpointSlices"/>: planning decides which of those it keeps).
    /// </summary>
    public static ClusterState? Apply(ClusterState cluster, IReadOnlyCollection<string> removed, IReadOnlyList<Service> added, bool inputHasEndpointSlices)
    {
        if (inputHasEndpointSlices || added.Select(s => s.QualifiedName).Distinct(StringComparer.Ordinal).Count() != added.Count)
        {
            return null;
        }

        foreach (var name in removed)
        {
            if (!cluster.ServicesByName.TryGetValue(name, out var service) || service.Type == ServiceType.LoadBalancer)
            {
                return null;
            }
        }

        // A Service replaced keeps its allocations in a full plan, so only new names are taken here.
        if (added.Any(s => !IsPlain(cluster, s) || cluster.ServicesByName.ContainsKey(s.QualifiedName)))
        {
            return null;
        }

        var gone = removed.ToHashSet(StringComparer.Ordinal);
        var pools = new ServiceAddressPools(cluster.Config);
        foreach (var service in cluster.Services.Where(s => !gone.Contains(s.QualifiedName)))
        {
            pools.Reserve(service);
        }

        var exhausted = new List<Diagnostic>();
        var allocated = added.OrderBy(s => s.QualifiedName, StringComparer.Ordinal).Select(s => pools.Allocate(s, exhausted)).ToList();
        if (exhausted.Count > 0)
        {
            return null;
        }

        var candidates = new EndpointCandidates(cluster.Pods.Where(p => allocated.Any(s => s.Namespace == p.Namespace)));
        // A Service without a selector has no slices, and no entry in the index (as the state's constructor makes it).
        var slices = allocated
            .Select(s => (s.QualifiedName, Slices: (IReadOnlyList<EndpointSlice>)[.. EndpointSliceBuilder.FromSelected(s, candidates.Of(s)).OrderBy(slice => slice.Meta.Name, StringComparer.Ordinal)]))
            .Where(s => s.Slices.Count > 0)
            .ToDictionary(s => s.QualifiedName, s => s.Slices, StringComparer.Ordinal);

        // What planning said about a Service that is gone goes with it.
        var warnings = gone.Count == 0
            ? cluster.Warnings
            : [.. cluster.Warnings.Where(w => !(w.Object is { Kind: "Service" } o && gone.Contains($"{o.Namespace}/{o.Name}")))];
        return cluster.WithServices(gone, allocated, slices, warnings);
    }

    /// <summary>A Service whose planning involves no other object than the addresses and ports the others hold.</summary>
    private static bool IsPlain(ClusterState cluster, Service service) =>
        service.Type is ServiceType.ClusterIP or ServiceType.NodePort or ServiceType.ExternalName
        && service.ClusterIP is null
        && service.HealthCheckNodePort is null
        && service.Ports.All(p => p.NodePort is null)
        && service.LoadBalancerIngress.IsEmpty
        && cluster.NamespacesByName.TryGetValue(service.Namespace, out var ns)
        && (!ns.Implicit || ClusterValidator.BuiltInNamespaces.Contains(service.Namespace));
}
