using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Maille.Lab.Dns;

/// <summary>
/// One accepted DNS-over-TCP connection: queries and answers, each behind a two-byte length. Once the server reads
/// from it, the connection closes its socket itself, when reading has ended and every query read has been answered:
/// ARSoft 3.6.1's server counts a reference for the read that ends a connection and never releases it (so it would
/// never dispose it), and may count down to zero between two reads of a live connection (so it would dispose it early).
/// </summary>
internal sealed class DnsTcpConnection(IServerTransport transport, Socket socket, ClusterDnsServerOptions options, TimeProvider timeProvider) : IServerConnection
{
    private readonly IPEndPoint _remote = (IPEndPoint)socket.RemoteEndPoint!;
    private readonly IPEndPoint _local = (IPEndPoint)socket.LocalEndPoint!;
    private int _unanswered;
    private volatile bool _reading;
    private volatile bool _closed;

    public IServerTransport Transport => transport;

    public IPEndPoint RemoteEndPoint => _remote;

    public IPEndPoint LocalEndPoint => _local;

    public bool CanRead => !_closed;

    public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

    /// <summary>The next query, or null when the client closed the connection, sent nothing for the idle timeout, or the server stops.</summary>
    public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
    {
        _reading = true;
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
            if (length == 0 || !await ReadAsync(package.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH), options.TcpReadTimeout, token))
            {
                return Closed();
            }

            var query = new DnsReceivedRawPackage(package, _remote, _local); // reads the header and question: throws on garbage
            Interlocked.Increment(ref _unanswered);
            return query;
        }
        catch (Exception)
        {
            // The peer reset, a timeout, the server stopping, or bytes that are not DNS: the connection ends here.
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
        finally
        {
            // One send per query read (zone transfers, which take several, are not served).
            if (Interlocked.Decrement(ref _unanswered) <= 0 && _closed)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Closes a connection the server never read from (queued when it stopped); one being read closes itself.</summary>
    public void Dispose()
    {
        if (!_reading)
        {
            _closed = true;
            socket.Dispose();
        }
    }

    /// <summary>Reading has ended: closes the socket now, or after the last answer when queries are still being answered.</summary>
    private DnsReceivedRawPackage? Closed()
    {
        _closed = true;
        if (Volatile.Read(ref _unanswered) <= 0)
        {
            socket.Dispose();
        }
        else
        {
            _ = CloseLaterAsync();
        }

        return null;
    }

    /// <summary>A query that fails before its answer (an exception in the server) never sends: the socket still closes, after the read timeout.</summary>
    private async Task CloseLaterAsync()
    {
        await Task.Delay(options.TcpReadTimeout, timeProvider);
        socket.Dispose();
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
