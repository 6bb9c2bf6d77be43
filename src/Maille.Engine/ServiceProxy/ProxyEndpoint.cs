using System.Net;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// An endpoint a service proxy may send a connection to: the pod address and the port resolved on that pod (a named
/// targetPort can differ per endpoint), the node it runs on, whether it runs on the node being planned, and whether it
/// is used only as the fallback for a Service whose endpoints are all terminating. <see cref="Pod"/> (the pod the
/// endpoint targets, when its slice names one) is not programmed: <c>trace</c> reads it to follow the connection on.
/// </summary>
public sealed record ProxyEndpoint(IPAddress Address, int Port, string? NodeName, bool IsLocal, bool Terminating, string? Pod = null)
{
    public override string ToString() => $"{Address}:{Port}";
}
