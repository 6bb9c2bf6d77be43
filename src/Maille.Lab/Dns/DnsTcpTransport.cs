using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Dns;

/// <summary>
/// DNS over TCP on listening sockets: each accepted connection carries length-prefixed queries (RFC 1035 §4.2.2,
/// RFC 7766) until the client closes it or it stays idle for <see cref="ClusterDnsServerOptions.TcpIdleTimeout"/>.
/// </summary>
internal sealed partial class DnsTcpTransport(ClusterDnsServerOptions options, TimeProvider timeProvider, ILogger<DnsTcpTransport> logger)
    : DnsSocketTransport(options.QueueCapacity, logger)
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    public override ushort DefaultAllowedResponseSize => ushort.MaxValue;

    public override bool AllowTruncatedResponses => false;

    public override TransportProtocol TransportProtocol => TransportProtocol.Tcp;

    protected override string? Unfit(Socket socket) =>
        socket.SocketType == SocketType.Stream && socket.IsBound ? null : "is not a bound, listening stream socket";

    protected override async Task ServeAsync(PodPort key, Socket listening, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync(token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // the client gave up before it was accepted
            }
            catch (SocketException e) when (!token.IsCancellationRequested)
            {
                LogAcceptFailed(key, e.SocketErrorCode);
                await Task.Delay(AcceptRetryDelay, timeProvider, token);
                continue;
            }

            accepted.NoDelay = true;
            await QueueAsync(new DnsTcpConnection(this, accepted, options, timeProvider), wait: true, token);
        }
    }

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "Accepting DNS connections on {Port} failed with {Error}; retrying")]
    private partial void LogAcceptFailed(PodPort port, SocketError error);
}
