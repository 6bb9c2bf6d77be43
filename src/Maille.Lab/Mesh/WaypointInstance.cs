using System.Net;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Workloads;

namespace Maille.Lab.Mesh;

/// <summary>
/// A waypoint pod as the waypoint proxy holds it: its namespace and address, its rotating certificate (the waypoint's
/// identity), the HBONE client its tunnels to endpoints leave from, and the forwarder's client over it (with retries).
/// </summary>
internal sealed class WaypointInstance(PodId id, NetworkNamespace network, IPAddress address, WorkloadCertificate certificate, HttpMessageInvoker hbone, HttpMessageInvoker upstream) : IDisposable
{
    public PodId Id { get; } = id;

    public NetworkNamespace Network { get; } = network;

    public IPAddress Address { get; } = address;

    public WorkloadCertificate Certificate { get; } = certificate;

    public HttpMessageInvoker Hbone { get; } = hbone;

    public HttpMessageInvoker Upstream { get; } = upstream;

    public void Dispose()
    {
        Upstream.Dispose();
        Hbone.Dispose();
        Certificate.Dispose();
    }
}
