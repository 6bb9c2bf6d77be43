using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Maille.Lab.Dns;

/// <summary>One accepted DNS-over-TCP connection: queries and answers, each behind a two-byte length.</summary>
internal sealed class DnsTcpConnection(IServerTransport transport, Socket socket, ClusterDnsServerOptions options, TimeProvider timeProvider) : IServerConnection
{
    private readonly IPEndPoint _remote = (IPEndPoint)socket.RemoteEndPoint!;
    private readonly IPEndPoint _local = (IPEndPoint)socket.LocalEndPoint!;
    private bool _closed;

    public IServerTransport Transport => transport;

    public IPEndPoint RemoteEndPoint => _remote;

    public IPEndPoint LocalEndPoint => _local;

    public bool CanRead => !_closed;

    public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

    /// <summary>The next query, or null when the client closed the connection, sent nothing for the idle timeout, or the server stops.</summary>
    public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
    {
        try
        {
            var header = new byte[DnsRawPackage.LENGTH_HEADER_LENGTH];
            if (!await ReadAsync(header, options.TcpIdleTimeout, token))
            {
                return Closed();
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(header);
            var package = new byte[DnsRawPackage.LENGTH_HEADER_LENGTH + length];
            header.CopyTo(package, 0);
            return length > 0 && await ReadAsync(package.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH), options.TcpReadTimeout, token)
                ? new DnsReceivedRawPackage(package, _remote, _local)
                : Closed();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return Closed();
        }
    }

    public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token)
    {
        try
        {
            var data = package.ToArraySegment(true)[..(DnsRawPackage.LENGTH_HEADER_LENGTH + package.Length)];
            await socket.SendAsync(data, SocketFlags.None, token);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Closed();
            return false;
        }
    }

    public void Dispose()
    {
        _closed = true;
        socket.Dispose();
    }

    private DnsReceivedRawPackage? Closed()
    {
        _closed = true;
        return null;
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed first. Throws when <paramref name="timeout"/> passes.</summary>
    private async Task<bool> ReadAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken token)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
        var read = 0;
        while (read < buffer.Length)
        {
            var received = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, linked.Token);
            if (received == 0)
            {
                return false;
            }

            read += received;
        }

        return true;
    }
}
