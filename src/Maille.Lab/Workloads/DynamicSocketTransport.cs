using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

/// <summary>
/// A Kestrel transport whose single endpoint accepts connections from a changing set of listening sockets, one per
/// pod port. The sockets are made elsewhere (inside each pod's network namespace, which a socket keeps for life) and
/// handed over while the server runs. Accepted sockets are wrapped by Kestrel's own
/// <see cref="SocketConnectionContextFactory"/>, so the HTTP layer is Kestrel's unchanged; each connection carries a
/// <see cref="PodPortFeature"/> naming the pod port it arrived on.
/// </summary>
internal sealed partial class DynamicSocketTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector, IAsyncDisposable
{
    private readonly ConcurrentDictionary<PodPort, PodAcceptLoop> _loops = new();
    private readonly Channel<ConnectionContext> _accepted;
    private readonly SocketConnectionContextFactory _connections;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private bool _bound;
    private bool _stopped;
    private bool _disposed;

    public DynamicSocketTransport(
        DynamicSocketEndPoint endPoint,
        PodServerOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        EndPoint = endPoint;
        _accepted = Channel.CreateBounded<ConnectionContext>(new BoundedChannelOptions(options.AcceptQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _connections = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                WaitForDataBeforeAllocatingBuffer = true,
                MaxReadBufferSize = options.MaxReadBufferSize,
            },
            loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        _retryDelay = options.AcceptRetryDelay;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DynamicSocketTransport>();
    }

    public DynamicSocketEndPoint EndPoint { get; }

    public bool CanBind(EndPoint endpoint) => ReferenceEquals(endpoint, EndPoint);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (!CanBind(endpoint))
        {
            throw new NotSupportedException($"This transport binds only {EndPoint}, not {endpoint}.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_bound)
            {
                throw new InvalidOperationException($"{EndPoint} is already bound.");
            }

            _bound = true;
        }

        LogBound(EndPoint);
        return ValueTask.FromResult<IConnectionListener>(new DynamicSocketListener(this, _accepted.Reader));
    }

    /// <summary>
    /// Starts accepting on <paramref name="listening"/>, a TCP socket already listening, for <paramref name="key"/>.
    /// The transport owns the socket from here on. Connections accepted before Kestrel binds wait in a bounded queue.
    /// </summary>
    /// <exception cref="ArgumentException">The socket is not a listening TCP socket, or the key is already served.</exception>
    public void AddListener(PodPort key, Socket listening)
    {
        ArgumentNullException.ThrowIfNull(listening);
        if (listening.SocketType != SocketType.Stream || !IsListening(listening))
        {
            throw new ArgumentException($"The socket for {key} is not a listening stream socket.", nameof(listening));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_loops.ContainsKey(key))
            {
                throw new ArgumentException($"{key} is already served.", nameof(key));
            }

            var loop = new PodAcceptLoop(
                key,
                listening,
                _connections,
                _accepted.Writer,
                _retryDelay,
                _timeProvider,
                _loggerFactory.CreateLogger<PodAcceptLoop>(),
                _stopping.Token);
            _loops[key] = loop;
        }

        LogListenerAdded(key, listening.LocalEndPoint);
    }

    /// <summary>
    /// Stops accepting for <paramref name="key"/> and closes its listening socket: new connects are refused, pending
    /// ones in the kernel backlog are reset, connections already accepted finish normally.
    /// </summary>
    /// <returns>False when the key was not served.</returns>
    public bool RemoveListener(PodPort key) => RemoveListener(key, closeConnections: false);

    /// <summary>
    /// Stops accepting for <paramref name="key"/>, closes its listening socket and every connection it accepted that is
    /// still open, as a pod's process exiting would.
    /// </summary>
    /// <returns>False when the key was not served.</returns>
    public bool RemoveListenerAndConnections(PodPort key) => RemoveListener(key, closeConnections: true);

    private bool RemoveListener(PodPort key, bool closeConnections)
    {
        if (!_loops.TryRemove(key, out var loop))
        {
            return false;
        }

        loop.Stop();
        if (closeConnections)
        {
            loop.AbortConnections();
        }

        LogListenerRemoved(key);
        return true;
    }

    /// <summary>Called when Kestrel unbinds: every pod socket is closed and no more connections are queued.</summary>
    internal async Task StopAcceptingAsync()
    {
        PodAcceptLoop[] loops;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            loops = [.. _loops.Values];
            _loops.Clear();
        }

        foreach (var loop in loops)
        {
            loop.Stop();
        }

        await _stopping.CancelAsync();
        _accepted.Writer.TryComplete();
        await Task.WhenAll(loops.Select(loop => loop.Completion));
    }

    /// <summary>Stops accepting and releases the buffers; only once Kestrel has stopped, since its connections use them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAcceptingAsync();
        while (_accepted.Reader.TryRead(out var connection))
        {
            await connection.DisposeAsync();
        }

        _connections.Dispose();
        _stopping.Dispose();
    }

    private static bool IsListening(Socket socket)
    {
        try
        {
            return socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int value && value != 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
