using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What one Service port's traffic of one kind becomes in the socket load balancer's maps on one node: the frontends
/// (<c>services</c> keys) that share one id, the endpoints in slot order, and the flags. Rendered from the node plan's
/// <c>ServicePortPlan</c> by <see cref="SocketLbState"/>: the ClusterIP, and the external addresses as a process
/// inside the cluster reaches them (with the ClusterIP when both use the same endpoints), and the external addresses as a
/// connection from outside the node reaches them (<see cref="Masquerade"/>: the address it is masqueraded to, null
/// under externalTrafficPolicy Local).
/// </summary>
public sealed record SocketLbService(EquatableArray<SocketLbFrontend> Frontends, Protocol Protocol, bool Reject, int? AffinitySeconds, EquatableArray<SocketLbBackend> Backends)
{
    public IPAddress? Masquerade { get; init; }
}
