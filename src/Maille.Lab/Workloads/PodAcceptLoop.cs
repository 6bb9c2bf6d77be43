using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Maille.Lab.Workloads;

/// <summary>
/// Accepts connections on one pod's listening socket and queues them for Kestrel, each tagged with a
/// <see cref="PodPortFeature"/>. Owns the socket: <see cref="Stop"/> closes it, so connects that are not yet
/// accepted are refused while accepted connections carry on.
/// </summary>
internal sealed partial class PodAcceptLoop
{
    private readonly Socket _listening;
    private readonly PodPortFeature _feature;
    private readonly SocketConnectionContextFactory _connections;
    private readonly ChannelWriter<ConnectionContext> _accepted;
    private readonly TimeSpan _retryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationToken _transportStopping;

    // The connections accepted here and not closed yet, for AbortConnections.
    private readonly ConcurrentDictionary<ConnectionContext, byte> _open = new();
    private volatile bool _stopped;

    public PodAcceptLoop(
        PodPort port,
        Socket listening,
        SocketConnectionContextFactory connections,
        ChannelWriter<ConnectionContext> accepted,
        TimeSpan retryDelay,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken transportStopping)
    {
        _listening = listening;
        _feature = new PodPortFeature(port);
        _connections = connections;
        _accepted = accepted;
        _retryDelay = retryDelay;
        _timeProvider = timeProvider;
        _logger = logger;
        _transportStopping = transportStopping;
        Completion = Task.Run(RunAsync, CancellationToken.None);
    }

    public PodPort Port => _feature.Port;

    /// <summary>Ends when the loop has stopped, after <see cref="Stop"/> or when the transport stops; it never faults.</summary>
    public Task Completion { get; }

    /// <summary>Closes the listening socket; safe to call more than once.</summary>
    public void Stop()
    {
        _stopped = true;
        _listening.Dispose(); // wakes a pending accept
    }

    /// <summary>
    /// Closes every connection this loop accepted that is still open, as a pod's process exiting closes its sockets:
    /// the peers see the connection end (a proxy drops it from its pool) instead of keeping it for a pod that is gone.
    /// </summary>
    public void AbortConnections()
    {
        foreach (var connection in _open.Keys)
        {
            try
            {
                connection.Abort(new ConnectionAbortedException($"{Port}'s pod was removed."));
            }
            catch (ObjectDisposedException)
            {
                // Closed in the meantime.
            }
        }
    }

    private async Task RunAsync()
    {
        var token = _transportStopping;
        try
        {
            while (!_stopped)
            {
                Socket socket;
                try
                {
                    socket = await _listening.AcceptAsync(token);
                }
                catch (Exception e) when (_stopped || token.IsCancellationRequested || e is ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    continue; // the peer gave up before we accepted it
                }
                catch (SocketException e)
                {
                    LogAcceptFailed(Port, e.SocketErrorCode, e);
                    await Task.Delay(_retryDelay, _timeProvider, token);
                    continue;
                }

                if (!await QueueAsync(socket, token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogLoopFailed(Port, e); // a bug: the port stops accepting, the others go on
        }
    }

    private async ValueTask<bool> QueueAsync(Socket socket, CancellationToken token)
    {
        ConnectionContext connection;
        try
        {
            socket.NoDelay = true;
            connection = _connections.Create(socket);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose(); // reset by the peer between accept and here
            return true;
        }

        connection.Features.Set(_feature);
        _open.TryAdd(connection, 0);
        connection.ConnectionClosed.Register(() => _open.TryRemove(connection, out _));
        LogAccepted(Port, connection.ConnectionId, connection.RemoteEndPoint);
        try
        {
            await _accepted.WriteAsync(connection, token);
            return true;
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            await connection.DisposeAsync();
            return false;
        }
    }
}
