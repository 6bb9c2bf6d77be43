using Maille.Engine.Gateways;
using Maille.Engine.Ingresses;

namespace Maille.Engine.Mesh;

/// <summary>
/// What happens to one HTTP request from a meshed pod to a Service that uses a waypoint: the waypoint and its identity,
/// its authorization verdict (the policy and rule that decided), the route, rule and backends (with weights; null route
/// when no rule matches and the request goes to the Service itself, GAMMA's rule), the status the waypoint answers
/// (200, 403, 404, 500, 503, or a redirect's code) and why, then the hop from the waypoint to the chosen endpoint: the
/// destination node proxy's layer-4 check of the waypoint's identity.
/// </summary>
public sealed record WaypointDecision
{
    /// <summary>The Service (<c>namespace/name</c>) and port the request was sent to.</summary>
    public required string Service { get; init; }

    public required int Port { get; init; }

    public required Waypoint Waypoint { get; init; }

    /// <summary>Which label bound the Service to the waypoint.</summary>
    public required string BoundBy { get; init; }

    public required WaypointAuthorization Authorization { get; init; }

    /// <summary>The route table's decision, when a rule of a route attached to the Service matched; null otherwise.</summary>
    public GatewayDecision? Route { get; init; }

    /// <summary>The backends the request may go to, with their weights: the matched rule's, or the Service itself.</summary>
    public IReadOnlyList<GatewayBackend> Backends { get; init; } = [];

    /// <summary>The backend drawn (by weight), when the request is forwarded.</summary>
    public GatewayBackend? Backend { get; init; }

    /// <summary>The ready endpoint of <see cref="Backend"/> the waypoint connects to (the first, as draw 0 picks).</summary>
    public IngressEndpoint? Endpoint { get; init; }

    /// <summary>The destination node proxy's decision on the waypoint's connection to <see cref="Endpoint"/>; null when there is none or the endpoint is not a meshed pod.</summary>
    public MeshVerdict? Hop { get; init; }

    public required int Status { get; init; }

    public required string Reason { get; init; }
}
