using Maille.Engine.Ingresses;

namespace Maille.Lab.Mesh;

/// <summary>What became of one request at the waypoint, for its metrics: the endpoint it was sent to, and Envoy's response flags.</summary>
internal sealed class WaypointOutcome
{
    public IngressEndpoint? Endpoint { get; set; }

    public string Flags { get; set; } = MeshTrafficLabels.NoFlags;
}
