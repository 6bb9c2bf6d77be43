using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Maille.Lab.Workloads;

/// <summary>
/// What Kestrel sees of <see cref="DynamicSocketTransport"/>: one bound endpoint whose connections come from every
/// pod's accept loop through one queue.
/// </summary>
internal sealed class DynamicSocketListener(DynamicSocketTransport transport, ChannelReader<ConnectionContext> accepted)
    : IConnectionListener
{
    public EndPoint EndPoint => transport.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (await accepted.WaitToReadAsync(cancellationToken))
            {
                if (accepted.TryRead(out var connection))
                {
                    return connection;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return null; // Kestrel's accept loop ends on null
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await transport.StopAcceptingAsync();
        while (accepted.TryRead(out var connection))
        {
            await connection.DisposeAsync(); // accepted but never handed to Kestrel
        }
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
