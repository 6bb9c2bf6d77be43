using System.Globalization;
using Maille.Dataplane.Nftables;

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
            try
            {
                var (code, _, error) = ConntrackTable.Run(
                    "-D", "-p", "udp", "--orig-dst", flow.ServiceAddress.ToString(), "--orig-port-dst",
                    flow.ServicePort.ToString(CultureInfo.InvariantCulture), "--reply-src", flow.Endpoint.ToString());

                // Exit 1 with "0 flow entries have been deleted" is the ordinary case of nothing to forget.
                if (code != 0 && !error.Contains("0 flow entries", StringComparison.Ordinal))
                {
                    return $"conntrack for {flow}: {error.Trim()}";
                }
            }
            catch (InvalidOperationException exception)
            {
                return $"{flow}: {exception.Message}";
            }
        }

        return null;
    }
}
