using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// What a lab adds to run each waypoint, as Istio's deployment controller does: a Deployment named after the Gateway, in
/// its namespace, of one pod that runs under the waypoint's service account (so its identity is the waypoint's), carries
/// <see cref="GatewayController.GatewayNameLabel"/> and <see cref="ManagedLabel"/>, is kept out of the node proxies'
/// capture (<c>istio.io/dataplane-mode: none</c>: the waypoint terminates HBONE itself), and declares the HBONE port
/// 15008 and the metrics port 15020. The lab serves that port with its waypoint proxy. Added only for a waypoint without a problem, and when the
/// input has no workload of that name.
/// </summary>
public static class WaypointManifests
{
    /// <summary>Istio's label on what its deployment controller manages for a waypoint.</summary>
    public const string ManagedLabel = "gateway.istio.io/managed";

    public const string ManagedValue = "istio.io-mesh-controller";

    /// <summary>Where the waypoint serves its Prometheus metrics, on the pod's address (Istio's merged-metrics port).</summary>
    public const int MetricsPort = 15020;

    public static SourceLocation Source { get; } = new("<waypoint>", null);

    public static ManifestSet With(ManifestSet manifests)
    {
        var workloads = manifests.Workloads.Select(w => $"{w.Meta.Namespace}/{w.Meta.Name}").ToHashSet(StringComparer.Ordinal);
        var added = manifests.Gateways
            .Where(g => Waypoints.IsWaypointClass(manifests.GatewayClasses, g.GatewayClassName) && !workloads.Contains(g.Meta.QualifiedName))
            .Select(Waypoints.Of)
            .Where(w => w.Problem is null)
            .Select(Deployment)
            .ToList();
        return added.Count == 0 ? manifests : manifests with { Workloads = new([.. manifests.Workloads, .. added]) };
    }

    /// <summary>A waypoint pod the lab runs: its port 15008 goes to the waypoint proxy.</summary>
    public static bool IsWaypointPod(Pod pod) =>
        pod.Labels.Get(ManagedLabel) == ManagedValue && pod.Labels.Get(GatewayController.GatewayNameLabel) is not null;

    /// <summary><c>namespace/name</c> of the waypoint a waypoint pod runs.</summary>
    public static string WaypointOf(Pod pod) => $"{pod.Namespace}/{pod.Labels.Get(GatewayController.GatewayNameLabel)}";

    private static Workload Deployment(Waypoint waypoint)
    {
        var selector = Labels.Of((GatewayController.GatewayNameLabel, waypoint.Gateway.Meta.Name), (ManagedLabel, ManagedValue));
        var podLabels = Labels.Of((GatewayController.GatewayNameLabel, waypoint.Gateway.Meta.Name), (ManagedLabel, ManagedValue), (MeshApi.DataplaneModeLabel, MeshApi.OptOut));
        return new Workload
        {
            Kind = WorkloadKind.Deployment,
            Meta = new ObjectMeta { Name = waypoint.Gateway.Meta.Name, Namespace = waypoint.Namespace, Labels = selector, Source = Source },
            Replicas = 1,
            Selector = new LabelSelector { MatchLabels = selector },
            Template = new PodTemplate
            {
                Labels = podLabels,
                Spec = new PodSpec
                {
                    ServiceAccountName = waypoint.ServiceAccount,
                    Containers = new[]
                    {
                        new Container
                        {
                            Name = "istio-proxy",
                            Image = "maille/waypoint", // served in the lab daemon's process, not by an image
                            Ports = new([new ContainerPort("mesh", MeshApi.HbonePort, Protocol.TCP), new ContainerPort("metrics", MetricsPort, Protocol.TCP)]),
                        },
                    },
                },
            },
        };
    }
}
