using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// Lists and deletes connections with the <c>conntrack</c> command (Debian package <c>conntrack</c>), in the network
/// namespace of the calling thread (a child process starts in its parent thread's namespace).
/// </summary>
public static partial class ConntrackTable
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

    /// <summary>
    /// Deletes every connection from <paramref name="source"/> to <paramref name="destination"/>:<paramref name="destinationPort"/>
    /// whose reply comes from <paramref name="replySource"/>:<paramref name="replySourcePort"/> (the endpoint after DNAT),
    /// whatever its source port: one command for the many flows a client opens to one endpoint. Returns how many
    /// entries went.
    /// </summary>
    public static int Delete(string protocol, IPAddress source, IPAddress destination, int destinationPort, IPAddress replySource, int replySourcePort)
    {
        var (code, _, error) = Run(
            "-D", "-p", protocol, "-s", source.ToString(), "-d", destination.ToString(), "--dport", destinationPort.ToString(CultureInfo.InvariantCulture),
            "-r", replySource.ToString(), "--reply-port-src", replySourcePort.ToString(CultureInfo.InvariantCulture));
        var deleted = DeletedCount().Match(error);
        if (code != 0 && !(deleted.Success && deleted.Groups[1].Value == "0"))
        {
            throw new InvalidOperationException($"conntrack -D {protocol} {source} -> {destination}:{destinationPort}: {error.Trim()}");
        }

        return deleted.Success ? int.Parse(deleted.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Runs <c>conntrack</c> with <paramref name="arguments"/> on this thread; throws when it cannot run or does not finish.</summary>
    internal static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(ConntrackFlusher.Command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            // stderr is read after stdout: conntrack writes at most a line there, far below a pipe's buffer. The pipes
            // are closed here: Process.Dispose leaves streams read synchronously to their finalizers.
            using var process = Process.Start(start)!;
            using var stdout = process.StandardOutput;
            using var stderr = process.StandardError;
            var output = stdout.ReadToEnd();
            var error = stderr.ReadToEnd();
            if (!process.WaitForExit(CommandTimeout))
            {
                process.Kill();
                throw new InvalidOperationException($"conntrack {string.Join(' ', arguments)} did not finish in {CommandTimeout.TotalSeconds} s");
            }

            return (process.ExitCode, output, error);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"cannot run {ConntrackFlusher.Command} (install the conntrack package): {exception.Message}", exception);
        }
    }

    [GeneratedRegex(@"(\d+) flow entries have been deleted")]
    private static partial Regex DeletedCount();
}
