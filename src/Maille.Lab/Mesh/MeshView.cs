using System.Collections.Frozen;
using System.Net;
using Maille.Engine;
using Maille.Engine.Mesh;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// One node proxy's immutable view of the lab, swapped as one reference when the lab changes: the engine's
/// <see cref="MeshAuthorizer"/> (membership, identities, PeerAuthentication, AuthorizationPolicy), pods by address, and
/// the node's Service plan (kube-proxy's, <see cref="ServiceProxyPlanner"/>), from which the proxy picks a
/// ClusterIP's endpoint itself, as ztunnel does.
/// </summary>
internal sealed class MeshView
{
    private readonly FrozenDictionary<IPAddress, Pod> _podsByAddress;
    private readonly FrozenDictionary<(IPAddress, int), ServicePortPlan> _servicePorts;
    private readonly FrozenDictionary<(IPAddress, int), MeshServiceName?> _servicesByEndpoint;
    private readonly FrozenDictionary<(IPAddress, int), Pod> _waypoints;
    private readonly FrozenDictionary<IPAddress, Pod> _waypointsByClusterIP;

    public MeshView(ClusterState cluster, string node)
    {
        Cluster = cluster;
        Authorizer = MeshAuthorizer.For(cluster);
        _podsByAddress = cluster.Pods
            .Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null)
            .GroupBy(p => p.Status.PodIP!)
            .ToFrozenDictionary(g => g.Key, g => g.First());
        _servicePorts = ServiceProxyPlanner.Plan(cluster, node).Ports
            .Where(p => p.Protocol == Protocol.TCP)
            .GroupBy(p => (p.ClusterIP, p.Port))
            .ToFrozenDictionary(g => g.Key, g => g.First());

        // ztunnel's guess of an inbound connection's Service: the one Service whose endpoints include the pod's port.
        var domain = cluster.Config.DnsDomain;
        _servicesByEndpoint = _servicePorts.Values
            .SelectMany(p => p.ClusterEndpoints.Select(e => (Endpoint: (e.Address, e.Port), Service: (p.Id.Namespace, p.Id.Service))))
            .Distinct()
            .GroupBy(x => x.Endpoint)
            .ToFrozenDictionary(g => g.Key, g => g.Count() == 1 ? MeshServiceName.Of(g.First().Service.Namespace, g.First().Service.Service, domain) : null);
        _waypoints = WaypointsOf(cluster, _servicePorts.Values);
        _waypointsByClusterIP = _waypoints.GroupBy(w => w.Key.Item1).ToFrozenDictionary(g => g.Key, g => g.First().Value);
    }

    public ClusterState Cluster { get; }

    public MeshAuthorizer Authorizer { get; }

    public Pod? PodAt(IPAddress address) => _podsByAddress.GetValueOrDefault(address);

    /// <summary>The Service whose ClusterIP port <paramref name="destination"/> is, or null.</summary>
    public MeshServiceName? ServiceAt(IPEndPoint destination) =>
        _servicePorts.TryGetValue((destination.Address, destination.Port), out var port)
            ? MeshServiceName.Of(port.Id.Namespace, port.Id.Service, Cluster.Config.DnsDomain)
            : null;

    /// <summary>The one Service an endpoint (a pod's address and port) belongs to, or null when none or several do.</summary>
    public MeshServiceName? ServiceOfEndpoint(IPAddress address, int port) => _servicesByEndpoint.GetValueOrDefault((address, port));

    /// <summary>
    /// The running pod of the waypoint the Service at <paramref name="destination"/> (a ClusterIP's port) uses, or null
    /// when it uses none, or its waypoint has no pod with an address yet (then its traffic goes straight to the endpoints).
    /// </summary>
    public Pod? WaypointFor(IPEndPoint destination) => _waypoints.GetValueOrDefault((destination.Address, destination.Port));

    /// <summary>
    /// The pod that must answer an HBONE tunnel whose authority is <paramref name="address"/>: the pod at that address,
    /// or, for a ClusterIP whose Service uses a waypoint, the waypoint's pod (a Service is bound whole, every port).
    /// </summary>
    public Pod? TunnelServerFor(IPAddress address) => PodAt(address) ?? _waypointsByClusterIP.GetValueOrDefault(address);

    private static FrozenDictionary<(IPAddress, int), Pod> WaypointsOf(ClusterState cluster, IEnumerable<ServicePortPlan> ports)
    {
        var pods = cluster.Pods
            .Where(p => WaypointManifests.IsWaypointPod(p) && p.Status.PodIP is not null)
            .GroupBy(WaypointManifests.WaypointOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Meta.Name, StringComparer.Ordinal).First(), StringComparer.Ordinal);
        if (pods.Count == 0)
        {
            return FrozenDictionary<(IPAddress, int), Pod>.Empty;
        }

        var waypoints = Waypoints.For(cluster);
        var bound = new Dictionary<(IPAddress, int), Pod>();
        foreach (var port in ports)
        {
            if (cluster.ServicesByName.GetValueOrDefault($"{port.Id.Namespace}/{port.Id.Service}") is { } service
                && waypoints.BindingOf(service).Waypoint is { } waypoint && pods.TryGetValue(waypoint.QualifiedName, out var pod))
            {
                bound[(port.ClusterIP, port.Port)] = pod;
            }
        }

        return bound.ToFrozenDictionary();
    }

    /// <summary>
    /// Where a connection to <paramref name="destination"/> goes: a ClusterIP's port is replaced by one of its
    /// endpoints for traffic from inside the cluster (<paramref name="pick"/> chooses among the ready ones); any other
    /// address is itself. Null when a ClusterIP's port has no endpoint (kube-proxy rejects those).
    /// </summary>
    public IPEndPoint? Resolve(IPEndPoint destination, Func<int, int> pick)
    {
        if (!_servicePorts.TryGetValue((destination.Address, destination.Port), out var service))
        {
            return destination;
        }

        var endpoints = service.InternalEndpoints.Where(e => !e.Terminating).ToList();
        if (endpoints.Count == 0)
        {
            return null;
        }

        var chosen = endpoints[pick(endpoints.Count)];
        return new IPEndPoint(chosen.Address, chosen.Port);
    }
}
