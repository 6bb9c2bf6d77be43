using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// What became of one request at the waypoint, for its metrics: the source pod and the Service as the request's
/// decision found them (null when it did not get that far), the endpoint it was sent to, and Envoy's response flags.
/// </summary>
internal sealed class WaypointOutcome
{
    public Pod? Source { get; set; }

    public Service? Service { get; set; }

    public IngressEndpoint? Endpoint { get; set; }

    public string Flags { get; set; } = MeshTrafficLabels.NoFlags;
}
