using System.Net.Sockets;

namespace Maille.Lab.Mesh;

/// <summary>
/// Carries bytes both ways between a TCP socket and a tunnel stream (or another socket). When the tunnel ends, the
/// socket is half-closed (its peer reads the end of the stream) and the other direction may finish; when the socket
/// side ends, the tunnel ends: an HTTP/2 stream cannot be half-closed through .NET's streams, so a client that
/// half-closes before the answer has come loses it (noted in docs/mesh.md). The bytes each way are reported as they
/// cross (<c>fromSocket</c>, <c>toSocket</c>), for the proxy's metrics.
/// </summary>
internal static class MeshPipe
{
    private const int BufferSize = 64 * 1024;

    public static async Task RunAsync(Socket socket, Stream tunnel, Action<int>? fromSocket, Action<int>? toSocket, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        var outgoing = CopyAsync(network, tunnel, fromSocket, stop, endsAll: true);
        var incoming = CopyThenHalfCloseAsync(tunnel, network, socket, toSocket, stop);
        await Task.WhenAll(outgoing, incoming).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies until the end. What a socket has already received is gathered into one write (up to the buffer), and
    /// every write is flushed: HttpClient's HTTP/2 request stream keeps what it is given until a flush
    /// (Stream.CopyToAsync flushes only at the end), so an interactive protocol would wait forever, while a bulk one
    /// pays per write (a frame, a wake-up, a system call), so fewer, larger writes carry it cheaper.
    /// </summary>
    private static async Task PumpAsync(Stream from, Stream to, Action<int>? crossed, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                // More bytes waiting in the socket are read now (without waiting), into the same write.
                while (from is NetworkStream { DataAvailable: true } && read < buffer.Length)
                {
                    var more = await from.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                    if (more == 0)
                    {
                        break;
                    }

                    read += more;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                crossed?.Invoke(read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Action<int>? crossed, CancellationTokenSource stop, bool endsAll)
    {
        try
        {
            await PumpAsync(from, to, crossed, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or System.Net.Http.HttpRequestException)
        {
            endsAll = true;
        }
        finally
        {
            if (endsAll)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task CopyThenHalfCloseAsync(Stream tunnel, Stream network, Socket socket, Action<int>? crossed, CancellationTokenSource stop)
    {
        try
        {
            await PumpAsync(tunnel, network, crossed, stop.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException or System.Net.Http.HttpRequestException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }
}
