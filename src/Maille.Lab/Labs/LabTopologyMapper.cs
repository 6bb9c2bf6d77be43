using Maille.Dataplane.Linux.Lab;
using Maille.Engine;
using Maille.Engine.Trace;
using Maille.Model;

namespace Maille.Lab.Labs;

/// <summary>The network a planned cluster needs: its nodes, every addressed non-hostNetwork pod, and the outside client.</summary>
public static class LabTopologyMapper
{
    public static LabTopology Map(ClusterState cluster, LabNetworkMode mode) => new()
    {
        Nodes = new(cluster.Nodes.Select(n => new LabNode
        {
            Name = n.Name,
            Address = n.InternalIP!,
            PrefixLength = cluster.Config.NodeNetwork.PrefixLength,
            PodCidr = n.PodCidr!.Value,
        })),
        Pods = new(LabPods(cluster).Select(p => new LabPod { Key = p.QualifiedName, Node = p.Spec.NodeName!, Address = p.Status.PodIP! })),
        ExternalAddress = Tracer.DefaultExternalAddress(cluster.Config),
        UnderlayGateway = IpMath.Offset(cluster.Config.NodeNetwork, 1),
        Mode = mode,
    };

    /// <summary>The pods that get a namespace of their own: scheduled, addressed, not on the host network.</summary>
    public static IEnumerable<Pod> LabPods(ClusterState cluster) =>
        cluster.Pods.Where(p => !p.Spec.HostNetwork && p.Spec.NodeName is not null && p.Status.PodIP is not null);
}
