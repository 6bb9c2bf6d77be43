using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Maille.Cli.Compare;

/// <summary>
/// iperf3 (Debian's <c>iperf3</c>), run inside a lab's namespaces through iproute2's <c>ip netns exec</c>, as
/// <c>maille exec</c> runs programs: a server in one pod, TCP runs from another, read from iperf3's JSON.
/// </summary>
internal static class Iperf3
{
    /// <summary>Starts an iperf3 server on <paramref name="port"/> in <paramref name="networkNamespace"/>; kill it (its tree) when done.</summary>
    public static Process StartServer(string networkNamespace, int port)
    {
        var start = Start(networkNamespace, "-s", "-p", port.ToString(CultureInfo.InvariantCulture));
        var server = Process.Start(start) ?? throw new IOException("iperf3 could not be started");

        // Its per-run report is not needed (the client's JSON has the receiver's side), but a full pipe would stop it.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// One TCP run of <paramref name="seconds"/> from <paramref name="networkNamespace"/> to
    /// <paramref name="target"/>: the received rate in Gbit/s. A run that finds the server still busy with the
    /// previous one is tried again, three times at most.
    /// </summary>
    public static async Task<double> RunAsync(string networkNamespace, IPEndPoint target, int seconds, CancellationToken cancellationToken)
    {
        string? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var start = Start(networkNamespace, "-c", target.Address.ToString(), "-p", target.Port.ToString(CultureInfo.InvariantCulture),
                "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J");
            using var process = Process.Start(start) ?? throw new IOException("iperf3 could not be started");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var text = await output;
            await errors;
            if (process.ExitCode == 0 && ReceivedGbits(text) is { } rate)
            {
                return rate;
            }

            last = Error(text) ?? $"exit code {process.ExitCode}";
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        throw new IOException($"iperf3 from {networkNamespace} to {target} failed three times: {last}");
    }

    /// <summary>The rate the receiver saw (<c>end.sum_received.bits_per_second</c>), in Gbit/s; null when the report has none.</summary>
    internal static double? ReceivedGbits(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["end"]?["sum_received"]?["bits_per_second"]?.GetValue<double>() / 1e9;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Error(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["error"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return json.Length > 200 ? json[..200] : json;
        }
    }

    private static ProcessStartInfo Start(string networkNamespace, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "netns", "exec", networkNamespace, "iperf3" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
