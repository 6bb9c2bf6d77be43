using Maille.Engine;
using Maille.Engine.Allocation;
using Maille.Engine.Dns;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>
/// Plans a lab: the user's manifests exactly as the offline commands plan them, plus what the lab itself runs (the
/// cluster DNS: <c>kube-system</c>, the <c>coredns</c> pods, the <c>kube-dns</c> Service; with Ingresses, the Ingress
/// controller: <c>maille-system</c>, its pods and its LoadBalancer Service; with Gateways of Maille's class, a proxy
/// Deployment per Gateway, <see cref="Engine.Gateways.GatewayProxyManifests"/>; with the node agents as processes, the
/// <c>maille-agent</c> DaemonSet, <see cref="Engine.Workloads.NodeAgentManifests"/>). At <c>up</c> the system objects must not
/// move the user's pods: they are planned in a second pass in which every user object is pinned where the first pass
/// put it, so <c>maille get pods -o wide -f FILES</c> and the new lab show the same nodes and addresses. Once the lab
/// has allocations, every object keeps its own and one pass plans a change.
/// </summary>
internal static class LabPlanner
{
    /// <param name="sliceCache">The running lab's slices, reused by both passes where nothing they depend on changed.</param>
    /// <param name="agentDaemonSet">The node agents run as processes: the <c>maille-agent</c> DaemonSet shows them (<see cref="Engine.Workloads.NodeAgentManifests"/>).</param>
    public static PlanResult Plan(ManifestSet manifests, IReadOnlyList<Diagnostic> diagnostics, ClusterConfig config, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior, Engine.EndpointSlices.EndpointSliceCache? sliceCache = null, bool agentDaemonSet = false)
    {
        var withSystem = Engine.Mesh.WaypointManifests.With(Engine.Gateways.GatewayProxyManifests.With(Engine.Ingresses.IngressControllerManifests.WithIngressController(SystemManifests.WithClusterDns(manifests, config))));
        withSystem = agentDaemonSet ? Engine.Workloads.NodeAgentManifests.WithAgentDaemonSet(withSystem) : withSystem;
        if (ReferenceEquals(withSystem, manifests) || prior.Pods.Count > 0 || prior.Services.Count > 0)
        {
            // A lab that has allocations (a change, a restart) plans once: its system objects hold what they were
            // given like any other object, and a new object of the user's is allocated around them.
            return ClusterPlanner.Plan(withSystem, config, diagnostics, readiness, prior, sliceCache);
        }

        // A new lab: the first pass only decides where the user's objects go (its slices and indexes would be thrown
        // away); the second plans the system objects around them.
        var (pinned, userDiagnostics) = ClusterPlanner.Allocations(manifests, config, diagnostics, readiness, prior);
        return pinned is null
            ? new PlanResult(null, userDiagnostics)
            : ClusterPlanner.Plan(withSystem, config, diagnostics, readiness, pinned, sliceCache);
    }

    /// <summary>Whether the lab added this pod (the cluster DNS), rather than the user.</summary>
    public static bool IsSystem(Pod pod) => pod.Meta.Source == SystemManifests.Source || pod.Meta.Source == Engine.Ingresses.IngressControllerManifests.Source
        || pod.Meta.Source == Engine.Gateways.GatewayProxyManifests.Source || pod.Meta.Source == Engine.Workloads.NodeAgentManifests.Source
        || pod.Meta.Source == Engine.Mesh.WaypointManifests.Source;

    public static PlanResult Plan(string file, string yaml, ClusterConfig config, IReadOnlyDictionary<string, bool>? readiness, PriorAllocations prior)
    {
        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource(file, yaml)]);
        return Plan(manifests, diagnostics, config, readiness, prior);
    }
}
