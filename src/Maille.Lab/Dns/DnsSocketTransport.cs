using System.Net.Sockets;
using System.Threading.Channels;
using ARSoft.Tools.Net.Dns;
using Maille.Lab.Workloads;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Dns;

/// <summary>
/// An ARSoft <see cref="IServerTransport"/> over sockets that are created and bound elsewhere (inside the DNS pods'
/// network namespaces) and come and go while the server runs: ARSoft's own transports bind one fixed address when
/// the server starts. Each socket has one asynchronous loop that turns what arrives into
/// <see cref="IServerConnection"/>s, queued for the <see cref="DnsServer"/>, which parses, answers and encodes.
/// </summary>
internal abstract partial class DnsSocketTransport : IServerTransport, IAsyncDisposable
{
    private readonly Channel<IServerConnection> _connections;
    private readonly Dictionary<PodPort, (Socket Socket, CancellationTokenSource Stop, Task Loop)> _sockets = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private bool _closed;

    protected DnsSocketTransport(int queueCapacity, ILogger logger)
    {
        _connections = Channel.CreateBounded<IServerConnection>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _logger = logger;
    }

    public abstract ushort DefaultAllowedResponseSize { get; }

    /// <summary>One response per query: zone transfers, which need several, are not served.</summary>
    public bool SupportsMultipleResponses => false;

    public abstract bool AllowTruncatedResponses { get; }

    public abstract TransportProtocol TransportProtocol { get; }

    public IReadOnlyCollection<PodPort> Ports
    {
        get
        {
            lock (_gate)
            {
                return [.. _sockets.Keys];
            }
        }
    }

    /// <summary>Serves <paramref name="socket"/> under <paramref name="key"/>; the transport owns the socket from here on.</summary>
    /// <exception cref="ArgumentException">The socket does not fit this transport, or the key is already served.</exception>
    public void Add(PodPort key, Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var problem = Unfit(socket);
        if (problem is not null)
        {
            throw new ArgumentException($"The socket for {key} {problem}.", nameof(socket));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_sockets.ContainsKey(key))
            {
                throw new ArgumentException($"{key} is already served.", nameof(key));
            }

            var stop = new CancellationTokenSource();
            var loop = Task.Run(() => RunAsync(key, socket, stop.Token), CancellationToken.None);
            _sockets[key] = (socket, stop, loop);
        }

        LogAdded(key, socket.LocalEndPoint);
    }

    /// <summary>Stops serving <paramref name="key"/> and closes its socket; queries already queued are still answered.</summary>
    /// <returns>False when the key was not served.</returns>
    public bool Remove(PodPort key)
    {
        (Socket Socket, CancellationTokenSource Stop, Task Loop) entry;
        lock (_gate)
        {
            if (!_sockets.Remove(key, out entry))
            {
                return false;
            }
        }

        Close(entry);
        LogRemoved(key);
        return true;
    }

    /// <summary>The sockets arrive bound; there is nothing to bind.</summary>
    public void Bind()
    {
    }

    /// <summary>Closes every socket and stops queueing; called by <see cref="DnsServer.Stop"/>.</summary>
    public void Close()
    {
        foreach (var entry in CloseAll())
        {
            Close(entry);
        }
    }

    /// <summary>
    /// The next query (UDP) or connection (TCP). Never throws and never returns null before the server stops:
    /// ARSoft's accept loop is an <c>async void</c> that would end the process on an exception and spin on a null.
    /// </summary>
    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        try
        {
            if (await _connections.Reader.WaitToReadAsync(token) && _connections.Reader.TryRead(out var connection))
            {
                return connection;
            }

            // Closed: wait for the server's own stop instead of handing it nulls in a tight loop.
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }

        return null;
    }

    /// <summary>Closes every socket without waiting for the loops to end; <see cref="DisposeAsync"/> waits.</summary>
    public void Dispose() => Close();

    public async ValueTask DisposeAsync()
    {
        var entries = CloseAll();
        foreach (var entry in entries)
        {
            Close(entry);
        }

        await Task.WhenAll(entries.Select(e => e.Loop));
        while (_connections.Reader.TryRead(out var unanswered))
        {
            ((IDisposable)unanswered).Dispose();
        }
    }

    /// <summary>Why <paramref name="socket"/> cannot be served here (completing "The socket for KEY …"), or null when it can.</summary>
    protected abstract string? Unfit(Socket socket);

    /// <summary>Receives (UDP) or accepts (TCP) on <paramref name="socket"/> until <paramref name="token"/> fires or the socket closes, queueing with <see cref="QueueAsync"/>.</summary>
    protected abstract Task ServeAsync(PodPort key, Socket socket, CancellationToken token);

    /// <summary>Queues a connection for the server; waits while the queue is full, or drops it (false) when <paramref name="wait"/> is false.</summary>
    protected async ValueTask<bool> QueueAsync(IServerConnection connection, bool wait, CancellationToken token)
    {
        if (_connections.Writer.TryWrite(connection))
        {
            return true;
        }

        if (wait)
        {
            try
            {
                await _connections.Writer.WriteAsync(connection, token);
                return true;
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
            {
            }
        }

        ((IDisposable)connection).Dispose();
        return false;
    }

    private static void Close((Socket Socket, CancellationTokenSource Stop, Task Loop) entry)
    {
        entry.Stop.Cancel();
        entry.Socket.Dispose();
    }

    private List<(Socket Socket, CancellationTokenSource Stop, Task Loop)> CloseAll()
    {
        lock (_gate)
        {
            _closed = true;
            _connections.Writer.TryComplete();
            var entries = _sockets.Values.ToList();
            _sockets.Clear();
            return entries;
        }
    }

    private async Task RunAsync(PodPort key, Socket socket, CancellationToken token)
    {
        try
        {
            await ServeAsync(key, socket, token);
        }
        catch (Exception e) when (token.IsCancellationRequested || e is ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            LogLoopFailed(key, e); // a bug: this socket stops serving, the others go on
        }
    }
}
