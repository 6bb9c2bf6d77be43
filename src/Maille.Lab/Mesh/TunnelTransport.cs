using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Maille.Lab.Mesh;

/// <summary>
/// A Kestrel transport whose connections are streams handed over in-process (<see cref="ServeAsync"/>): the tunnels an
/// HBONE server accepted, so that the HTTP inside each is served by Kestrel's own HTTP/1.1 code, as any connection is.
/// </summary>
internal sealed class TunnelTransport(TunnelEndPoint endPoint) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener
{
    private readonly Channel<TunnelConnection> _accepted = Channel.CreateUnbounded<TunnelConnection>();
    private long _next;

    public EndPoint EndPoint => endPoint;

    public bool CanBind(EndPoint endpoint) => ReferenceEquals(endpoint, endPoint);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        CanBind(endpoint) ? ValueTask.FromResult<IConnectionListener>(this) : throw new NotSupportedException($"{endpoint} is not {endPoint}.");

    /// <summary>
    /// Serves <paramref name="stream"/> as a connection from <paramref name="remote"/> to <paramref name="local"/>,
    /// carrying <paramref name="features"/>; completes when the server is done with it.
    /// </summary>
    public async Task ServeAsync(Stream stream, IFeatureCollection features, EndPoint local, EndPoint remote, CancellationToken cancellationToken)
    {
        var connection = new TunnelConnection($"tunnel-{Interlocked.Increment(ref _next)}", stream, features, local, remote);
        await _accepted.Writer.WriteAsync(connection, cancellationToken).ConfigureAwait(false);
        using (cancellationToken.Register(() => connection.Abort()))
        {
            await connection.Done.ConfigureAwait(false);
        }
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null; // Unbound: Kestrel stops accepting.
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _accepted.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
