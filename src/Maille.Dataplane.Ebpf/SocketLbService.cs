using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What one Service port becomes in the socket load balancer's maps on one node: the ClusterIP key, the endpoints for
/// ClusterIP traffic in slot order, and the flags. Rendered from the node plan's <c>ServicePortPlan</c> by
/// <see cref="SocketLbState"/>.
/// </summary>
public sealed record SocketLbService(IPAddress ClusterIP, int Port, Protocol Protocol, bool Reject, int? AffinitySeconds, EquatableArray<SocketLbBackend> Backends);
