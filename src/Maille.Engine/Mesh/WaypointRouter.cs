using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Engine.Mesh;

/// <summary>
/// The engine's decision for one HTTP request from a pod to a Service port, when the Service uses a waypoint
/// (<see cref="Waypoints"/>): the source's node proxy sends it to the waypoint over HBONE, the waypoint authorizes it
/// (<see cref="MeshAuthorizer.AuthorizeAtWaypoint"/>: 403 when denied), routes it with the Service's GAMMA route table
/// (the same <see cref="GatewayRouteTable"/> as a Gateway's: matching, precedence, weights, filters and timeouts;
/// no matching rule → the Service itself), picks a ready endpoint of the backend, and connects to it over HBONE with
/// its own identity, which the endpoint's node proxy judges like any other peer (a denial there → 503). Pure.
/// </summary>
public sealed class WaypointRouter
{
    private readonly ClusterState _cluster;
    private readonly GatewayPlan _plan;

    private WaypointRouter(ClusterState cluster, GatewayPlan plan, MeshAuthorizer mesh)
    {
        _cluster = cluster;
        _plan = plan;
        Mesh = mesh;
        Waypoints = Waypoints.For(cluster);
    }

    public static WaypointRouter For(ClusterState cluster, GatewayPlan? plan = null, MeshAuthorizer? mesh = null) =>
        new(cluster, plan ?? GatewayController.Build(cluster), mesh ?? MeshAuthorizer.For(cluster));

    public Waypoints Waypoints { get; }

    public MeshAuthorizer Mesh { get; }

    /// <summary>
    /// The decision for <paramref name="request"/> from <paramref name="source"/> to <paramref name="service"/>'s
    /// <paramref name="port"/>, or null with the reason when it does not go through a waypoint (no waypoint bound, or a
    /// client outside the mesh, whose node proxy does not redirect it). <paramref name="draw"/> picks the backend by weight.
    /// </summary>
    public (WaypointDecision? Decision, string Reason) Decide(Pod source, Service service, int port, GatewayRequest request, int draw = 0)
    {
        var binding = Waypoints.BindingOf(service);
        if (binding.Waypoint is not { } waypoint)
        {
            return (null, binding.Reason);
        }

        if (!Mesh.IsMeshed(source))
        {
            return (null, $"{source.QualifiedName} is not in the mesh: no node proxy sends its request to waypoint {waypoint.QualifiedName}");
        }

        var identity = new WorkloadIdentity(source.Namespace, MeshAuthorizer.ServiceAccountOf(source));
        var authorization = Mesh.AuthorizeAtWaypoint(waypoint, service, identity, source.Status.PodIP, port, request.Method, request.Path, request.Host);
        var decision = new WaypointDecision
        {
            Service = service.QualifiedName,
            Port = port,
            Waypoint = waypoint,
            BoundBy = binding.Reason,
            Authorization = authorization,
            Status = 403,
            Reason = $"waypoint {waypoint.QualifiedName}: {authorization} (RBAC: access denied)",
        };
        if (!authorization.Allowed)
        {
            return (decision, "");
        }

        var routed = _plan.ServiceTables.TryGetValue(service.QualifiedName, out var table) ? table.Match(request with { Port = port }, draw) : null;
        if (routed?.Route is null)
        {
            var itself = GatewayBackendEndpoints.Resolve(_cluster, service.Namespace, new GatewayBackendRef { Name = service.Meta.Name, Port = port });
            var why = routed is null ? "no route is attached to the Service" : "no rule of the routes attached to the Service matches";
            decision = decision with { Backends = [itself], Backend = itself, Status = itself.Status, Reason = $"{why}: to the Service itself → {itself.Reason}" };
        }
        else
        {
            decision = decision with { Route = routed, Backends = routed.Backends, Backend = routed.Backend, Status = routed.Status, Reason = routed.Reason };
        }

        return (decision.Status == 200 && decision.Backend is { } backend ? WithHop(decision, waypoint, backend) : decision, "");
    }

    /// <summary>The waypoint's connection to the backend's first ready endpoint, judged by that pod's node proxy with the waypoint's identity.</summary>
    private WaypointDecision WithHop(WaypointDecision decision, Waypoint waypoint, GatewayBackend backend)
    {
        var (endpoints, _) = GatewayBackendEndpoints.Of(_cluster, backend.Service, backend.Port, grpc: false);
        if (endpoints.IsEmpty)
        {
            return decision;
        }

        var endpoint = endpoints[0];
        var pod = endpoint.Pod is { } name ? _cluster.PodsByName.GetValueOrDefault(name) : null;
        if (pod is null)
        {
            return decision with { Endpoint = endpoint };
        }

        var hop = Mesh.AuthorizePeer(new WorkloadIdentity(waypoint.Namespace, waypoint.ServiceAccount), null, pod, endpoint.Port);
        return hop.Allowed
            ? decision with { Endpoint = endpoint, Hop = hop }
            : decision with
            {
                Endpoint = endpoint,
                Hop = hop,
                Status = 503,
                Reason = $"{decision.Reason}; the node proxy of {pod.QualifiedName} refuses the waypoint's connection ({hop}): upstream connect error",
            };
    }
}
