using System.Net;
using System.Net.Sockets;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Workloads;

namespace Maille.Lab.Mesh;

/// <summary>
/// A meshed pod as its node proxy holds it: its namespace and address, its rotating certificate, the HTTP/2 client
/// that opens HBONE tunnels for it (its sockets made in the pod's namespace, so they leave from the pod's address as
/// ztunnel's in-pod mode does), and its two capture listeners.
/// </summary>
internal sealed class MeshWorkload(PodId id, NetworkNamespace network, IPAddress address, WorkloadCertificate certificate, HttpMessageInvoker hbone, Socket outbound, Socket inbound) : IDisposable
{
    public PodId Id { get; } = id;

    public NetworkNamespace Network { get; } = network;

    public IPAddress Address { get; } = address;

    public WorkloadCertificate Certificate { get; } = certificate;

    public HttpMessageInvoker Hbone { get; } = hbone;

    public Socket Outbound { get; } = outbound;

    public Socket Inbound { get; } = inbound;

    public void Dispose()
    {
        Outbound.Dispose();
        Inbound.Dispose();
        Hbone.Dispose();
        Certificate.Dispose();
    }
}
