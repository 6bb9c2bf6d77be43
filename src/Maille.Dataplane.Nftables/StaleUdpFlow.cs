using System.Net;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// UDP conntrack entries to forget after a sync: flows whose original destination is a Service address and port
/// (ClusterIP, NodePort on the node, LoadBalancer or external IP) and that were translated to an endpoint that this
/// Service port no longer uses. Without the flush, such a flow keeps going to the old endpoint for as long as the
/// client keeps sending (conntrack refreshes the entry on every datagram).
/// </summary>
public sealed record StaleUdpFlow(IPAddress ServiceAddress, int ServicePort, IPAddress Endpoint)
{
    public override string ToString() => $"udp {ServiceAddress}:{ServicePort} → {Endpoint}";
}
