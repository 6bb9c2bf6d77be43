using System.Net;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// An address and port a connect() is translated from: a ClusterIP, this node's address with a NodePort, a
/// LoadBalancer ingress IP or an externalIP, each with the Service port's protocol (one <c>services</c> map key).
/// </summary>
public sealed record SocketLbFrontend(IPAddress Address, int Port)
{
    public override string ToString() => $"{Address}:{Port}";
}
