using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Maille.Lab.Agent;

/// <summary>
/// The agent's health endpoint, as kube-proxy's <c>/healthz</c> on its <c>--healthz-bind-address</c>: plain HTTP,
/// <c>GET /healthz</c> (and <c>/livez</c>) answers 200 once every part has applied the state the agent read and none of
/// them is failing, else 503, with a JSON body saying since when (<c>lastUpdated</c>, <c>currentTime</c>, and the parts'
/// last error). It is what a DaemonSet's readinessProbe targets: in a lab the <c>maille-agent</c> pods' readiness comes
/// from it, on the node's own address. Nothing else is served; other paths get 404, other methods 405.
/// </summary>
/// <remarks>
/// One request per connection, answered from its request line and closed (what a probe sends), on a socket of its own
/// rather than an ASP.NET Core server: Kestrel's one-second heartbeat and per-request machinery were most of an idle
/// agent's CPU (docs/benchmarks.md, session 25), and an endpoint with two fixed answers needs neither. A request whose
/// head is not read within <see cref="ReadTimeout"/> or is larger than <see cref="MaxHeadBytes"/> is refused (408, 431);
/// one that is not <c>METHOD TARGET HTTP/1.x</c> gets 400. Fuzzed in <c>AgentHealthTests</c>.
/// </remarks>
public sealed class AgentHealth : IAsyncDisposable
{
    private const int MaxHeadBytes = 8 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private (DateTimeOffset At, string? Error)? _lastSync;

    private AgentHealth(Socket listener, TimeProvider time)
    {
        _listener = listener;
        _time = time;
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    /// <summary>The address it listens on (the port chosen by the system when 0 was asked).</summary>
    public IPEndPoint? Endpoint { get; }

    /// <summary>Starts listening on <paramref name="bind"/> (<c>ADDRESS:PORT</c>); refused addresses throw <see cref="IOException"/>.</summary>
    public static Task<AgentHealth> StartAsync(IPEndPoint bind, TimeProvider? time = null)
    {
        var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(bind);
            listener.Listen(64);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"--healthz-bind-address {bind}: {e.Message}", e);
        }

        return Task.FromResult(new AgentHealth(listener, time ?? TimeProvider.System));
    }

    /// <summary>Parses <c>ADDRESS:PORT</c> (<c>0.0.0.0:10266</c>, <c>[::1]:10266</c>); null with the reason when it is not one.</summary>
    public static IPEndPoint? ParseBindAddress(string text, out string? error)
    {
        error = null;
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && endpoint.Port is > 0 and <= 65535)
        {
            return endpoint;
        }

        error = $"--healthz-bind-address {text}: not ADDRESS:PORT with a port from 1 to 65535 (e.g. 0.0.0.0:10266)";
        return null;
    }

    /// <summary>The parts finished a sync: healthy from now when <paramref name="error"/> is empty.</summary>
    public void Synced(string? error) => _lastSync = (_time.GetUtcNow(), string.IsNullOrEmpty(error) ? null : error);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted: the next one is served.
                continue;
            }

            _ = AnswerAsync(connection);
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        {
            try
            {
                var (status, body, head) = await ReadAndRouteAsync(connection);
                await connection.SendAsync(Response(status, body, head), SocketFlags.None, _stopping.Token);
                await LingerAsync(connection);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the endpoint is stopping: nothing to answer.
            }
        }
    }

    /// <summary>
    /// Closes as HTTP servers do: the answer's end announced, then what the client still sends (a body this endpoint
    /// never reads) drained for a moment, so that closing with unread bytes does not reset the connection before the
    /// client has read the answer.
    /// </summary>
    private async Task LingerAsync(Socket connection)
    {
        connection.Shutdown(SocketShutdown.Send);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        linger.CancelAfter(TimeSpan.FromSeconds(1));
        var discard = new byte[4096];
        for (var drained = 0; drained < 64 * 1024;)
        {
            var received = await connection.ReceiveAsync(discard, SocketFlags.None, linger.Token);
            if (received == 0)
            {
                return;
            }

            drained += received;
        }
    }

    /// <summary>Reads the request's head and decides the answer; the body, if any, is never read.</summary>
    private async Task<(int Status, string Body, bool Head)> ReadAndRouteAsync(Socket connection)
    {
        var buffer = new byte[MaxHeadBytes];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(ReadTimeout);
        while (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
        {
            if (read == buffer.Length)
            {
                return (431, "request header fields too large\n", false);
            }

            int received;
            try
            {
                received = await connection.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                return (408, "request timeout\n", false);
            }

            if (received == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            read += received;
        }

        var head = buffer.AsSpan(0, read);
        var requestLine = Encoding.Latin1.GetString(head[..head.IndexOf("\r\n"u8)]);
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterUpper) || parts[1].Length == 0
            || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            return (400, "bad request\n", false);
        }

        var path = parts[1].Split('?', 2)[0];
        if (path is not ("/healthz" or "/livez"))
        {
            return (404, "404 page not found\n", false);
        }

        if (parts[0] is not ("GET" or "HEAD"))
        {
            return (405, "method not allowed\n", false);
        }

        var (status, text) = Health();
        return (status, text, parts[0] == "HEAD");
    }

    private (int Status, string Body) Health()
    {
        var last = _lastSync;
        var healthy = last is { Error: null };
        var body = new JsonObject
        {
            ["lastUpdated"] = last?.At.ToString("O", CultureInfo.InvariantCulture),
            ["currentTime"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["healthy"] = healthy,
            ["error"] = last is null ? "no sync yet" : last.Value.Error,
        };
        return (healthy ? 200 : 503, body.ToJsonString());
    }

    /// <summary>The whole answer; without its body for HEAD (whose length is still the GET's).</summary>
    private static byte[] Response(int status, string body, bool head)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            431 => "Request Header Fields Too Large",
            _ => "Service Unavailable",
        };
        var type = status is 200 or 503 ? "application/json" : "text/plain; charset=utf-8";
        var allow = status == 405 ? "Allow: GET, HEAD\r\n" : string.Empty;
        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: {type}\r\nContent-Length: {content.Length.ToString(CultureInfo.InvariantCulture)}\r\n{allow}Connection: close\r\n\r\n");
        return head ? header : [.. header, .. content];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stopping.Dispose();
    }
}
