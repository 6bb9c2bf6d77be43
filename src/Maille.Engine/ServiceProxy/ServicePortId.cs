using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// One port of one Service, the unit a service proxy programs (kube-proxy's ServicePortName):
/// <c>namespace/service/protocol/port-name</c>, with the port number standing in for an unnamed port.
/// </summary>
public sealed record ServicePortId(string Namespace, string Service, string PortName, Protocol Protocol)
{
    public override string ToString() => $"{Namespace}/{Service}/{Protocol.ToString().ToLowerInvariant()}/{PortName}";
}
