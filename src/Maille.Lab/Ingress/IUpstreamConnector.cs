using System.Net;
using Maille.Lab.Workloads;

namespace Maille.Lab.Ingresses;

/// <summary>
/// Opens the TCP connections from the proxy to backend endpoints. The lab creates them inside the network namespace
/// of the controller pod (<c>via</c>) that accepted the client (so NetworkPolicy sees that pod as the
/// source, as in Kubernetes); tests map endpoint addresses to loopback ports.
/// </summary>
public interface IUpstreamConnector
{
    /// <param name="via">The controller pod whose socket accepted the client; null for a listener given by address.</param>
    /// <param name="endpoint">The backend endpoint: pod IP and target port.</param>
    /// <param name="cancellationToken">Fires at the connect timeout or when the request is abandoned.</param>
    /// <returns>The connected stream; the caller owns it.</returns>
    ValueTask<Stream> ConnectAsync(PodId? via, IPEndPoint endpoint, CancellationToken cancellationToken);
}
