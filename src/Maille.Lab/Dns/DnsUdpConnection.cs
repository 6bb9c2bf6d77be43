using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Maille.Lab.Dns;

/// <summary>One UDP query as ARSoft's server sees a connection: read once, answered once, from the socket it arrived on.</summary>
internal sealed class DnsUdpConnection(IServerTransport transport, Socket socket, DnsReceivedRawPackage query) : IServerConnection
{
    public IServerTransport Transport => transport;

    public IPEndPoint RemoteEndPoint => query.RemoteEndpoint;

    public IPEndPoint LocalEndPoint => query.LocalEndpoint;

    public bool CanRead { get; private set; } = true;

    public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

    public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
    {
        CanRead = false;
        return Task.FromResult<DnsReceivedRawPackage?>(query);
    }

    public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
    {
        try
        {
            var sent = await socket.SendToAsync(package.ToArraySegment(false)[..package.Length], SocketFlags.None, query.RemoteEndpoint, token);
            return sent == package.Length;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return false; // the socket was removed meanwhile, or the client is gone: UDP loses it as the network might
        }
    }

    /// <summary>The socket belongs to the transport; a datagram holds nothing to release.</summary>
    public void Dispose()
    {
    }
}
