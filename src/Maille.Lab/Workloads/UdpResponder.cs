using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

/// <summary>
/// Answers every datagram on a pod's UDP ports with the pod's <c>namespace/name</c>, sent from the socket that
/// received it. The sockets are bound elsewhere (inside the pod's network namespace) and handed over at run time;
/// each has one asynchronous receive loop, so no thread waits per socket.
/// </summary>
internal sealed partial class UdpResponder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<PodPort, (Socket Socket, CancellationTokenSource Stop, Task Loop)> _ports = new();
    private readonly int _receiveBufferSize;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _disposed;

    public UdpResponder(PodServerOptions options, ILogger<UdpResponder> logger)
    {
        _receiveBufferSize = options.UdpReceiveBufferSize;
        _logger = logger;
    }

    /// <summary>Starts answering on <paramref name="bound"/>, a bound UDP socket, which the responder owns from here on.</summary>
    /// <exception cref="ArgumentException">The socket is not a bound datagram socket, or the key is already served.</exception>
    public void Add(PodPort key, Socket bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        if (bound.SocketType != SocketType.Dgram || !bound.IsBound)
        {
            throw new ArgumentException($"The socket for {key} is not a bound datagram socket.", nameof(bound));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ports.ContainsKey(key))
            {
                throw new ArgumentException($"{key} is already served.", nameof(key));
            }

            var stop = new CancellationTokenSource();
            var reply = Encoding.UTF8.GetBytes(key.Pod.ToString());
            var loop = Task.Run(() => AnswerAsync(key, bound, reply, stop.Token));
            _ports[key] = (bound, stop, loop);
        }

        LogAdded(key, bound.LocalEndPoint);
    }

    /// <summary>Stops answering for <paramref name="key"/> and closes its socket.</summary>
    /// <returns>False when the key was not served.</returns>
    public bool Remove(PodPort key)
    {
        if (!_ports.TryRemove(key, out var entry))
        {
            return false;
        }

        Close(entry.Socket, entry.Stop);
        LogRemoved(key);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        (Socket Socket, CancellationTokenSource Stop, Task Loop)[] entries;
        lock (_gate)
        {
            _disposed = true;
            entries = [.. _ports.Values];
            _ports.Clear();
        }

        foreach (var entry in entries)
        {
            Close(entry.Socket, entry.Stop);
        }

        await Task.WhenAll(entries.Select(entry => entry.Loop));
    }

    private static void Close(Socket socket, CancellationTokenSource stop)
    {
        stop.Cancel();
        socket.Dispose();
    }

    private async Task AnswerAsync(PodPort key, Socket socket, byte[] reply, CancellationToken token)
    {
        var buffer = new byte[_receiveBufferSize];
        var peer = new SocketAddress(socket.AddressFamily);
        while (!token.IsCancellationRequested)
        {
            try
            {
                await socket.ReceiveFromAsync(buffer, SocketFlags.None, peer, token);
                await socket.SendToAsync(reply, SocketFlags.None, peer, token);
            }
            catch (Exception e) when (token.IsCancellationRequested || e is ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP errors from an earlier reply, a truncated datagram: this datagram is lost, the port goes on.
                LogDatagramFailed(key, e.SocketErrorCode);
            }
            catch (Exception e)
            {
                LogLoopFailed(key, e); // a bug: this port stops answering, the others go on
                return;
            }
        }
    }
}
