using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Workloads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Maille.Lab.Mesh;

/// <summary>
/// The client side of HBONE, shared by the node proxies and the waypoint: an HTTP/2 client whose sockets are made in a
/// workload's namespace (marked so a capture lets them out), presenting that workload's current certificate over TLS
/// 1.3 and accepting only the server <c>isPeer</c> approves; and the extended CONNECT that opens one tunnel.
/// </summary>
internal static class Hbone
{
    /// <param name="network">Where the sockets are made: the tunnel leaves from that workload's address.</param>
    /// <param name="certificate">
    /// The workload's rotating certificate: a connection presents the current one and opens tunnels for its
    /// <see cref="WorkloadCertificate.ConnectionLifetime"/>, within which that certificate stays valid.
    /// </param>
    /// <param name="isPeer">Whether the server proved to be the workload the tunnel was opened to (sender, certificate).</param>
    public static HttpMessageInvoker Client(NetworkNamespace network, WorkloadCertificate certificate, Func<object, X509Certificate?, bool> isPeer)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    MeshSockets.SetMark(socket, MeshPorts.BypassMark);
                    socket.NoDelay = true;
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = certificate.ConnectionLifetime,
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate.Current,
                RemoteCertificateValidationCallback = (sender, presented, _, _) => isPeer(sender, presented),
            },
        };
        return new HttpMessageInvoker(handler);
    }

    /// <summary>
    /// The server side's TLS: 1.3, the certificate of the workload whose 15008 the connection reached
    /// (<paramref name="certificateOf"/>, by the connection's pod port), and a client certificate required and proved
    /// against the lab's mesh authority.
    /// </summary>
    public static HttpsConnectionAdapterOptions ServerOptions(MeshCertificateAuthority authority, Func<PodId, X509Certificate2?> certificateOf) => new()
    {
        SslProtocols = SslProtocols.Tls13,
        ServerCertificateSelector = (connection, _) => connection?.Features.Get<PodPortFeature>() is { } port ? certificateOf(port.Port.Pod) : null,
        ClientCertificateMode = ClientCertificateMode.RequireCertificate,
        ClientCertificateValidation = (certificate, _, _) => authority.Authenticate(certificate, Api.CertificateMaker.ClientAuthentication) is not null,
    };

    /// <summary>The identity the tunnel's client certificate proves against the lab's mesh authority, or null.</summary>
    public static async Task<Model.WorkloadIdentity?> PeerOfAsync(HttpContext context, MeshCertificateAuthority authority)
    {
        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(context.RequestAborted).ConfigureAwait(false);
        return authority.Authenticate(certificate, Api.CertificateMaker.ClientAuthentication);
    }

    /// <summary>
    /// Whether the TLS server proved to be the workload that must answer the tunnel: HttpClient makes the tunnel's
    /// authority (its Host) the TLS target name, so <paramref name="serverFor"/> names the pod for that address (the
    /// destination pod, or the waypoint of a Service's ClusterIP), whose identity the certificate must prove against
    /// the lab's mesh authority.
    /// </summary>
    public static bool ProvesPod(MeshCertificateAuthority authority, Func<IPAddress, Model.Pod?> serverFor, object sender, X509Certificate? presented) =>
        sender is SslStream { TargetHostName: var host } && IPAddress.TryParse(host, out var address) && presented is X509Certificate2 certificate
        && serverFor(address) is { } pod
        && authority.Authenticate(certificate, Api.CertificateMaker.ServerAuthentication)?.SpiffeId == Engine.Mesh.MeshAuthorizer.IdentityOf(pod);

    /// <summary>
    /// Opens a tunnel to <paramref name="target"/> through the HBONE server on <paramref name="server"/>:15008 (the
    /// destination pod's, or a waypoint's). The caller owns the response: 200 carries the tunnel's stream as its content.
    /// </summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpMessageInvoker client, IPAddress server, IPEndPoint target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Connect, $"https://{server}:{MeshPorts.Hbone}/")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = target.ToString();
        request.Headers.Protocol = MeshPorts.TunnelProtocol;
        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
