using System.Net;
using Maille.Lab.Workloads;
using Maille.Model;

namespace Maille.Lab.Mesh;

/// <summary>
/// What the waypoint knows of a tunnel it accepted, carried as a feature of the connection its HTTP is served on: the
/// waypoint pod it reached, the source's address and the identity its certificate proved, and the Service address
/// (ClusterIP and port) the source's node proxy sent it for.
/// </summary>
internal sealed record WaypointTunnel(PodId Waypoint, IPAddress Source, WorkloadIdentity Peer, IPEndPoint Target);
