using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Maille.Lab.Tests.Workloads;

/// <summary>
/// A minimal HTTP/1.1 client over a raw socket, so a test controls every byte sent (the Host header, custom
/// headers) and knows the client's own address, which is what <c>/clientip</c> must report.
/// </summary>
internal static class HttpProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Connects, sends one request with <c>Connection: close</c>, reads the answer.</summary>
    public static async Task<HttpAnswer> GetAsync(IPEndPoint server, string target, params (string Name, string Value)[] headers)
    {
        using var socket = await ConnectAsync(server);
        return await SendAsync(socket, target, keepAlive: false, headers);
    }

    public static async Task<Socket> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(server, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request on an open connection and reads exactly one response (by Content-Length).</summary>
    public static async Task<HttpAnswer> SendAsync(Socket socket, string target, bool keepAlive, params (string Name, string Value)[] headers)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"GET {target} HTTP/1.1\r\n");
        if (!headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            request.Append(CultureInfo.InvariantCulture, $"Host: {socket.RemoteEndPoint}\r\n");
        }

        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        request.Append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()), SocketFlags.None, timeout.Token);

        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException($"The connection closed before a response; got: {Encoding.ASCII.GetString([.. received])}");
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        var head = Encoding.ASCII.GetString([.. received], 0, headerEnd);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string Header(string name) => lines.Skip(1)
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .FirstOrDefault() ?? "";
        var length = int.Parse(Header("Content-Length"), CultureInfo.InvariantCulture);
        var bodyStart = headerEnd + 4;
        while (received.Count < bodyStart + length)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException("The connection closed inside the body.");
            }

            received.AddRange(buffer.AsSpan(0, n));
        }

        var body = Encoding.UTF8.GetString([.. received], bodyStart, length);
        return new HttpAnswer(status, Header("Content-Type"), body, (IPEndPoint)socket.LocalEndPoint!);
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
