using System.Diagnostics;
using System.Globalization;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Lists and deletes connections with the <c>conntrack</c> command (Debian package <c>conntrack</c>), in the network
/// namespace of the calling thread (a child process starts in its parent thread's namespace).
/// </summary>
internal static class ConntrackTable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Every tracked IPv4 connection with ports (TCP, UDP, SCTP).</summary>
    public static IReadOnlyList<ConntrackEntry> List()
    {
        var (code, output, error) = Run("-L", "-f", "ipv4");
        if (code != 0)
        {
            throw new InvalidOperationException($"conntrack -L failed: {error.Trim()}");
        }

        return [.. output.Split('\n').Select(ConntrackEntry.TryParse).OfType<ConntrackEntry>()];
    }

    /// <summary>Deletes one connection by its original tuple; false when it was already gone.</summary>
    public static bool Delete(ConntrackEntry entry)
    {
        var (code, _, error) = Run(
            "-D", "-p", entry.Protocol, "-s", entry.Source.ToString(), "-d", entry.Destination.ToString(),
            "--sport", entry.SourcePort.ToString(CultureInfo.InvariantCulture), "--dport", entry.DestinationPort.ToString(CultureInfo.InvariantCulture));
        if (code != 0 && !error.Contains("0 flow entries", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"conntrack -D {entry}: {error.Trim()}");
        }

        return code == 0;
    }

    private static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(ConntrackFlusher.Command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill();
                throw new InvalidOperationException($"conntrack {string.Join(' ', arguments)} did not finish in {CommandTimeout.TotalSeconds} s");
            }

            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"cannot run {ConntrackFlusher.Command} (install the conntrack package): {exception.Message}", exception);
        }
    }
}
