using System.Diagnostics;
using System.Globalization;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Deletes stale UDP conntrack entries with the <c>conntrack</c> command (Debian package <c>conntrack</c>), in the
/// network namespace of the calling thread: a child process starts in its parent thread's namespace.
/// </summary>
internal static class ConntrackFlusher
{
    public const string Command = "conntrack";

    /// <summary>Flushes each flow; returns null, or what went wrong (the command missing, or its error output).</summary>
    public static string? Flush(IReadOnlyList<StaleUdpFlow> flows)
    {
        foreach (var flow in flows)
        {
            var start = new ProcessStartInfo(Command) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[]
            {
                "-D", "-p", "udp", "--orig-dst", flow.ServiceAddress.ToString(), "--orig-port-dst",
                flow.ServicePort.ToString(CultureInfo.InvariantCulture), "--reply-src", flow.Endpoint.ToString(),
            })
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                using var process = Process.Start(start)!;
                process.StandardOutput.ReadToEnd();
                var error = process.StandardError.ReadToEnd();
                if (!process.WaitForExit(5000))
                {
                    process.Kill();
                    return $"conntrack for {flow} did not finish in 5 s";
                }

                // Exit 1 with "0 flow entries have been deleted" is the ordinary case of nothing to forget.
                if (process.ExitCode != 0 && !error.Contains("0 flow entries", StringComparison.Ordinal))
                {
                    return $"conntrack for {flow}: {error.Trim()}";
                }
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                return $"cannot run {Command} (install the conntrack package): {exception.Message}";
            }
        }

        return null;
    }
}
