using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.Dns;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// Plans a lab: the user's manifests exactly as the offline commands plan them, plus what the lab itself runs (the
/// cluster DNS: <c>kube-system</c>, the <c>coredns</c> pods, the <c>kube-dns</c> Service; with Ingresses, the Ingress
/// controller: <c>maille-system</c>, its pods and its LoadBalancer Service). The system objects must not
/// move the user's pods: they are planned in a second pass in which every user pod is pinned where the first pass put
/// it, so <c>maille get pods -o wide -f FILES</c> and the running lab show the same nodes and addresses.
/// </summary>
internal static class LabPlanner
{
    /// <param name="sliceCache">The running lab's slices, reused by both passes where nothing they depend on changed.</param>
    public static PlanResult Plan(ManifestSet manifests, IReadOnlyList<Diagnostic> diagnostics, ClusterConfig config, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior, Engine.EndpointSlices.EndpointSliceCache? sliceCache = null)
    {
        var withSystem = Engine.Ingresses.IngressControllerManifests.WithIngressController(SystemManifests.WithClusterDns(manifests, config));
        if (ReferenceEquals(withSystem, manifests))
        {
            return ClusterPlanner.Plan(manifests, config, diagnostics, readiness, prior, sliceCache);
        }

        // The first pass only decides where the user's objects go: its slices and indexes would be thrown away.
        var (pinned, userDiagnostics) = ClusterPlanner.Allocations(manifests, config, diagnostics, readiness, prior);
        if (pinned is null)
        {
            return new PlanResult(null, userDiagnostics);
        }

        // The user's pods and Services keep what the first pass gave them; system objects keep what they had before,
        // unless a user pod now holds that address.
        var taken = pinned.Pods.Values.Select(p => p.Address).OfType<System.Net.IPAddress>().ToHashSet();
        var system = prior.Pods.Where(p => !pinned.Pods.ContainsKey(p.Key) && (p.Value.Address is null || !taken.Contains(p.Value.Address)));
        var both = pinned with
        {
            Pods = pinned.Pods.Concat(system).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Services = pinned.Services.Concat(prior.Services.Where(s => !pinned.Services.ContainsKey(s.Key))).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal),
        };
        return ClusterPlanner.Plan(withSystem, config, diagnostics, readiness, both, sliceCache);
    }

    /// <summary>Whether the lab added this pod (the cluster DNS), rather than the user.</summary>
    public static bool IsSystem(Pod pod) => pod.Meta.Source == SystemManifests.Source || pod.Meta.Source == Engine.Ingresses.IngressControllerManifests.Source;

    public static PlanResult Plan(string file, string yaml, ClusterConfig config, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource(file, yaml)]);
        return Plan(manifests, diagnostics, config, readiness, prior);
    }
}
