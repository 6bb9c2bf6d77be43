using System.Net.Sockets;

namespace Maille.Lab.Api;

/// <summary>
/// The API's HTTPS listener on 127.0.0.1: its port (0: the system chooses) and the lab's credentials; and the
/// listening sockets made inside the nodes' namespaces (each on its own loopback), where the node agent processes
/// reach the API as a hostNetwork pod reaches its API server.
/// </summary>
public sealed record LabApiHttps(int Port, LabCredentials Credentials)
{
    public IReadOnlyList<Socket> NamespaceListeners { get; init; } = [];
}
