using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Maille.Lab.Workloads;

/// <summary>
/// Lets one plain-HTTP port speak HTTP/1.1 and HTTP/2 by prior knowledge (h2c, as gRPC clients without TLS do):
/// Kestrel serves cleartext HTTP/2 only on an HTTP/2-only endpoint, so this connection middleware looks at the first
/// bytes and hands a connection that starts with the HTTP/2 preface to the pipeline of such an endpoint, every other
/// connection to HTTP/1.1. Nothing is consumed; a connection that sends nothing within the timeout is closed.
/// Go's <c>h2c.NewHandler</c> serves both on one port the same way. The Ingress and Gateway proxies' plain-HTTP
/// listeners and every TCP port of the pods' built-in server use it.
/// </summary>
internal sealed class PriorKnowledgeSniffer(TimeSpan timeout)
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private ConnectionDelegate? _http2;

    /// <summary>Middleware for the HTTP/2-only endpoint: remembers its pipeline and passes its own connections on.</summary>
    public ConnectionDelegate CaptureHttp2(ConnectionDelegate next)
    {
        _http2 = next;
        return next;
    }

    /// <summary>Middleware for the plain-HTTP endpoint, whose own pipeline (<paramref name="http1"/>) speaks HTTP/1.1.</summary>
    public ConnectionDelegate Route(ConnectionDelegate http1) => connection => RouteAsync(connection, http1);

    private async Task RouteAsync(ConnectionContext connection, ConnectionDelegate http1)
    {
        var input = connection.Transport.Input;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        waiting.CancelAfter(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(waiting.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException($"No request within {timeout}."));
                return;
            }

            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var matches = StartsWith(buffer.Slice(0, length), Preface.AsSpan(0, length));
            if (!matches || length == Preface.Length || result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start); // nothing consumed, nothing examined: the HTTP layer reads it all again
                var pipeline = matches && length == Preface.Length && _http2 is { } http2 ? http2 : http1;
                await pipeline(connection);
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End); // a prefix of the preface so far: wait for more
        }
    }

    private static bool StartsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[expected.Length];
        buffer.CopyTo(actual);
        return actual.SequenceEqual(expected);
    }
}
