using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Maille.Lab.Api;

/// <summary>
/// One <c>pods/exec</c> session over a WebSocket, in the Kubernetes remote-command protocol <c>v5.channel.k8s.io</c>
/// (what kubectl 1.30 and later speak) or <c>v4.channel.k8s.io</c> (client libraries that offer no v5): every binary
/// message starts with its stream's byte (0 stdin, 1 stdout, 2 stderr, 3 the closing <c>Status</c>, 4 terminal
/// resizes), and in v5 <c>[255, stream]</c> closes a stream (the client's end of stdin; a v4 client has no way to). The command runs inside the pod's network namespace (<c>ip netns exec</c>, as <c>maille exec</c>
/// does); its exit code comes back as the API server words it, so <c>kubectl exec</c> exits with it.
/// </summary>
/// <remarks>
/// With <c>tty=true</c> the command runs under a pseudo-terminal made by util-linux's <c>script</c>, and its output
/// is one stream; resizes are read and not applied (the terminal keeps script's size).
/// </remarks>
internal sealed class PodExec(WebSocket socket, string networkNamespace, IReadOnlyList<string> command, bool stdin, bool tty) : IDisposable
{
    /// <summary>The subprotocols served, the preferred first: the same streams, v5 adding the close signal.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    private const byte StdinStream = 0;
    private const byte StdoutStream = 1;
    private const byte StderrStream = 2;
    private const byte StatusStream = 3;
    private const byte CloseSignal = 255;

    private readonly SemaphoreSlim _sending = new(1);

    public void Dispose() => _sending.Dispose();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("the command did not start");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await FinishAsync(Failure("InternalError", $"cannot start {string.Join(' ', command)}: {e.Message}", null), cancellationToken);
            return;
        }

        using (process)
        {
            if (!stdin)
            {
                process.StandardInput.Close();
            }

            // The client is read until it closes, never cancelled: a cancelled receive aborts the WebSocket, and
            // the client would lose the closing Status (kubectl: "connection reset by peer").
            var input = ReadClientAsync(process, cancellationToken);
            var stdout = PumpAsync(process.StandardOutput.BaseStream, StdoutStream, cancellationToken);
            var stderr = PumpAsync(process.StandardError.BaseStream, tty ? StdoutStream : StderrStream, cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
                await Task.WhenAll(stdout, stderr);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await FinishAsync(process.ExitCode == 0
                ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
                : Failure("NonZeroExitCode", $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {process.ExitCode}", process.ExitCode), cancellationToken);

            // The client closes once it has read the Status; a client that does not is left after a few seconds.
            await Task.WhenAny(Swallow(input), Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        }
    }

    /// <summary>The Status of a failed exec, with the exit code where kubectl reads it (<c>details.causes[ExitCode]</c>).</summary>
    private static JsonObject Failure(string reason, string message, int? exitCode) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = exitCode is { } code
            ? new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) }) }
            : null,
    };

    private ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(tty ? "script" : "ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] inside = ["ip", "netns", "exec", networkNamespace, .. command];
        if (tty)
        {
            // script(1) gives the command a terminal; -e passes its exit code on, -f flushes as it writes.
            foreach (var argument in new[] { "-q", "-e", "-f", "-c", string.Join(' ', inside.Select(Quote)), "/dev/null" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            foreach (var argument in inside.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
        }

        return start;
    }

    private static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private async Task PumpAsync(Stream from, byte stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        buffer[0] = stream;
        int read;
        while ((read = await from.ReadAsync(buffer.AsMemory(1), cancellationToken)) > 0)
        {
            await SendAsync(buffer.AsMemory(0, read + 1), cancellationToken);
        }
    }

    /// <summary>Stdin data into the process; the close signal for stdin closes its input; resizes are read and dropped.</summary>
    private async Task ReadClientAsync(Process process, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        var input = process.StandardInput.BaseStream;
        var open = stdin;

        // Read to the end even after stdin closed: the client's pings are answered only while a receive is pending.
        while (!cancellationToken.IsCancellationRequested)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var data = message.GetBuffer().AsMemory(0, (int)message.Length);
            if (data.Length >= 2 && data.Span[0] == CloseSignal && data.Span[1] == StdinStream && open)
            {
                open = false;
                process.StandardInput.Close();
            }
            else if (data.Length > 1 && data.Span[0] == StdinStream && open)
            {
                try
                {
                    await input.WriteAsync(data[1..], cancellationToken);
                    await input.FlushAsync(cancellationToken);
                }
                catch (IOException)
                {
                    // The command stopped reading (it ended): what it did not read is dropped, as a closed pipe drops it.
                    open = false;
                }
            }
        }
    }

    private async Task FinishAsync(JsonObject status, CancellationToken cancellationToken)
    {
        byte[] message = [StatusStream, .. System.Text.Encoding.UTF8.GetBytes(status.ToJsonString())];
        await SendAsync(message, cancellationToken);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The session is over: the client went, or stdin was closed under a pending write.
        }
    }
}
