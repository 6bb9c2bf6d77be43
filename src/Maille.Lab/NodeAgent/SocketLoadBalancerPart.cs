using Maille.Dataplane.Linux.Ebpf;
using Maille.Engine;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// The ebpf data plane's ClusterIP translation as a part of a node agent: each sync goes to the node's
/// <see cref="NodeSocketLoadBalancer"/> (maps written from the node plan's differences), and what it applied is
/// published as one value. It runs beside the nftables <see cref="ServiceProxyPart"/>, which then translates only
/// external traffic (NodePort, LoadBalancer IPs, externalIPs).
/// </summary>
public sealed class SocketLoadBalancerPart(NodeSocketLoadBalancer balancer, string cgroup) : INodeAgentPart
{
    private SocketLoadBalancerSnapshot? _applied;

    public string Name => "services-ebpf";

    /// <summary>What the maps hold (null before the first sync).</summary>
    public SocketLoadBalancerSnapshot? Applied => Volatile.Read(ref _applied);

    public NodePartDetails Details => Applied?.Details ?? new SocketLoadBalancerDetails { Cgroup = cgroup };

    public NodePartSync Sync(ClusterState cluster, bool full)
    {
        var result = balancer.Sync(cluster, full);
        if (result.Plan is { } plan)
        {
            Volatile.Write(ref _applied, new SocketLoadBalancerSnapshot(plan, new SocketLoadBalancerDetails
            {
                Programs = balancer.AttachedPrograms,
                Cgroup = cgroup,
                Maps = balancer.MapCounts(),
                ServicePortCount = result.ServicePortCount,
                BackendCount = result.BackendCount,
                NamespaceCount = result.NamespaceCount,
            }));
        }

        return new NodePartSync
        {
            Full = result.Full,
            CommandCount = result.CommandCount,
            ApplyDuration = result.ApplyDuration,
            Error = result.Error,
        };
    }

    /// <summary>What this node's socket hooks do now with a connection to an address and port (for <c>trace --lab</c>).</summary>
    public Dataplane.Ebpf.SocketLbWalk Walk(System.Net.IPAddress address, int port, Model.Protocol protocol) => balancer.Walk(address, port, protocol);

    /// <summary>What this node's tc program does now with a connection from outside the node (for <c>trace --lab</c>).</summary>
    public Dataplane.Ebpf.SocketLbWalk WalkFromOutside(System.Net.IPAddress address, int port, Model.Protocol protocol) => balancer.WalkFromOutside(address, port, protocol);

    public void Dispose() => balancer.Dispose();
}
