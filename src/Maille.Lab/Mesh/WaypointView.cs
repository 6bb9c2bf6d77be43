using System.Collections.Frozen;
using System.Net;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Lab.Gateways;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// The waypoint proxy's immutable view of the lab, swapped as one reference when the lab changes: the engine's
/// <see cref="WaypointRouter"/> (authorization, GAMMA routes, backends), pods by address, and Services by ClusterIP and
/// port (what a tunnel is addressed to).
/// </summary>
internal sealed class WaypointView
{
    private readonly FrozenDictionary<IPAddress, Pod> _podsByAddress;
    private readonly FrozenDictionary<(IPAddress, int), Service> _servicesByAddress;

    public WaypointView(ClusterState cluster)
    {
        Cluster = cluster;
        Router = WaypointRouter.For(cluster, GatewayPlans.Of(cluster));
        _podsByAddress = cluster.Pods
            .Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null)
            .GroupBy(p => p.Status.PodIP!)
            .ToFrozenDictionary(g => g.Key, g => g.First());
        _servicesByAddress = cluster.Services
            .Where(s => s.ClusterIP is not null)
            .SelectMany(s => s.Ports.Where(p => p.Protocol == Protocol.TCP).Select(p => (Key: (s.ClusterIP!, p.Port), Service: s)))
            .GroupBy(x => x.Key)
            .ToFrozenDictionary(g => g.Key, g => g.First().Service);
    }

    public ClusterState Cluster { get; }

    public WaypointRouter Router { get; }

    public Pod? PodAt(IPAddress address) => _podsByAddress.GetValueOrDefault(address);

    public Service? ServiceAt(IPEndPoint address) => _servicesByAddress.GetValueOrDefault((address.Address, address.Port));
}
