using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Dns;

/// <summary>DNS over UDP on bound datagram sockets: each datagram is one query, answered from the socket it came to.</summary>
internal sealed partial class DnsUdpTransport(ClusterDnsServerOptions options, ILogger<DnsUdpTransport> logger)
    : DnsSocketTransport(options.QueueCapacity, logger)
{
    /// <summary>A query larger than this is not a DNS query a stub resolver sends; it is cut and then fails to parse.</summary>
    private const int MaxQuerySize = 4096;

    /// <summary>Without EDNS a UDP response is at most 512 bytes (RFC 1035 §4.2.1).</summary>
    public override ushort DefaultAllowedResponseSize => 512;

    public override bool AllowTruncatedResponses => true;

    public override TransportProtocol TransportProtocol => TransportProtocol.Udp;

    protected override string? Unfit(Socket socket) =>
        socket.SocketType == SocketType.Dgram && socket.IsBound ? null : "is not a bound datagram socket";

    protected override async Task ServeAsync(PodPort key, Socket socket, CancellationToken token)
    {
        var buffer = new byte[MaxQuerySize];
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var anyone = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyone, token);
            }
            catch (SocketException e) when (!token.IsCancellationRequested)
            {
                // An ICMP error from an earlier reply, say: that datagram is lost, the socket goes on.
                LogDatagramFailed(key, e.SocketErrorCode);
                continue;
            }

            // ARSoft's raw package is the message behind a two-byte length, as on TCP.
            var package = new byte[DnsRawPackage.LENGTH_HEADER_LENGTH + received.ReceivedBytes];
            BinaryPrimitives.WriteUInt16BigEndian(package, (ushort)received.ReceivedBytes);
            buffer.AsSpan(0, received.ReceivedBytes).CopyTo(package.AsSpan(DnsRawPackage.LENGTH_HEADER_LENGTH));
            DnsReceivedRawPackage raw;
            try
            {
                raw = new DnsReceivedRawPackage(package, (IPEndPoint)received.RemoteEndPoint, local); // reads the header and question
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDatagramMalformed(key, received.RemoteEndPoint, e);
                continue; // not DNS: nothing to answer, as a server does with a datagram it cannot parse
            }

            if (!await QueueAsync(new DnsUdpConnection(this, socket, raw), wait: false, token))
            {
                LogQueryDropped(key); // the queue is full: the client asks again, as it would after a lost datagram
            }
        }
    }

    [LoggerMessage(EventId = 611, Level = LogLevel.Debug, Message = "A DNS datagram on {Port} failed with {Error}")]
    private partial void LogDatagramFailed(PodPort port, SocketError error);

    [LoggerMessage(EventId = 613, Level = LogLevel.Debug, Message = "Dropped a datagram on {Port} from {Remote} that is not a DNS query")]
    private partial void LogDatagramMalformed(PodPort port, EndPoint remote, Exception exception);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Dropped a DNS query on {Port}: too many queries waiting")]
    private partial void LogQueryDropped(PodPort port);
}
