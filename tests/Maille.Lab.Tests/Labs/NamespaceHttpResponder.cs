using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Lab.Tests.Labs;

/// <summary>
/// A minimal HTTP/1.1 server of the test's own in a pod's namespace, answering every request <c>200</c> with the pod's
/// name and keeping connections open: a backend that outlives the lab's daemon (whose built-in pod server goes with it),
/// so that traffic through a node's rules can be judged while the daemon is away.
/// </summary>
internal sealed class NamespaceHttpResponder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _connections = [];
    private readonly byte[] _answer;

    public NamespaceHttpResponder(string podNamespace, int port, string name)
    {
        using var ns = NetworkNamespace.Open(podNamespace);
        _listener = ns.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Any, port));
        _listener.Listen(64);
        _answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {name.Length}\r\n\r\n{name}");
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(connection);
                }

                _ = AnswerAsync(connection);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    /// <summary>One answer per request head (the probes send GETs without a body), until the client closes.</summary>
    private async Task AnswerAsync(Socket connection)
    {
        var buffer = new byte[4096];
        var pending = new StringBuilder();
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                for (var end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal); end >= 0; end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal))
                {
                    pending.Remove(0, end + 4);
                    await connection.SendAsync(_answer, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went, or the responder stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stop.Dispose();
    }
}
