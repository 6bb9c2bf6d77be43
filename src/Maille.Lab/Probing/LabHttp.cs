using System.Net;
using System.Net.Sockets;
using System.Text;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Lab.Probing;

/// <summary>A minimal HTTP/1.0 GET sent from inside a lab namespace, for demonstrations and tests (no curl needed).</summary>
internal static class LabHttp
{
    /// <summary>The status line and body of <c>GET path</c>, from a socket opened inside <paramref name="from"/>.</summary>
    public static (string Status, string Body) Get(NetworkNamespace from, IPAddress to, int port, string path, TimeSpan timeout)
    {
        using var socket = from.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveTimeout = socket.SendTimeout = (int)timeout.TotalMilliseconds;
        var connect = socket.ConnectAsync(new IPEndPoint(to, port));
        try
        {
            if (!connect.Wait(timeout))
            {
                throw new TimeoutException($"no connection to {to}:{port} within {timeout.TotalSeconds:F1} s");
            }
        }
        catch (AggregateException e) when (e.InnerException is SocketException refused)
        {
            throw refused;
        }

        socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {to}:{port}\r\nUser-Agent: maille\r\n\r\n"));
        var response = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
        {
            response.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var text = response.ToString();
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
        return (statusEnd < 0 ? text : text[..statusEnd], headerEnd < 0 ? "" : text[(headerEnd + 4)..].Trim());
    }
}
