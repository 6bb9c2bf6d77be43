using System.Globalization;
using System.Net;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// One connection the kernel tracks: protocol, TCP state (null for other protocols), the original tuple (as the
/// client sent it) and the reply's source, which after destination NAT is the endpoint the connection really goes to.
/// </summary>
public sealed record ConntrackEntry(string Protocol, string? State, IPAddress Source, IPAddress Destination, int SourcePort, int DestinationPort, IPAddress ReplySource, int ReplySourcePort)
{
    /// <summary>
    /// Whether packets may still flow: not a TCP connection in TIME_WAIT or CLOSE, whose next SYN conntrack treats as a
    /// new connection anyway.
    /// </summary>
    public bool IsLive => State is not ("TIME_WAIT" or "CLOSE");

    /// <summary>
    /// Where the reply goes: the client, or the address and port conntrack masqueraded the connection to (what the
    /// endpoint sees). Null when the line did not say.
    /// </summary>
    public IPAddress? ReplyDestination { get; init; }

    /// <inheritdoc cref="ReplyDestination"/>
    public int ReplyDestinationPort { get; init; }

    /// <summary>
    /// Parses a line of <c>conntrack -L</c>, for example
    /// <c>tcp 6 431999 ESTABLISHED src=198.19.1.2 dst=198.18.128.10 sport=40000 dport=80 src=198.19.2.3 dst=198.19.1.2 sport=8080 dport=40000 [ASSURED] mark=0 use=1</c>;
    /// null for lines without ports (ICMP) or that do not parse.
    /// </summary>
    public static ConntrackEntry? TryParse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            return null;
        }

        var values = new List<(string Key, string Value)>();
        foreach (var field in fields)
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values.Add((field[..equals], field[(equals + 1)..]));
            }
        }

        string? Nth(string key, int n) => values.Where(v => v.Key == key).Select(v => v.Value).Skip(n).FirstOrDefault();
        return IPAddress.TryParse(Nth("src", 0), out var source) && IPAddress.TryParse(Nth("dst", 0), out var destination)
            && int.TryParse(Nth("sport", 0), CultureInfo.InvariantCulture, out var sourcePort) && int.TryParse(Nth("dport", 0), CultureInfo.InvariantCulture, out var destinationPort)
            && IPAddress.TryParse(Nth("src", 1), out var replySource) && int.TryParse(Nth("sport", 1), CultureInfo.InvariantCulture, out var replySourcePort)
            && IPAddress.TryParse(Nth("dst", 1), out var replyDestination) && int.TryParse(Nth("dport", 1), CultureInfo.InvariantCulture, out var replyDestinationPort)
            ? new ConntrackEntry(fields[0], fields.Length > 3 && !fields[3].Contains('=', StringComparison.Ordinal) ? fields[3] : null, source, destination, sourcePort, destinationPort, replySource, replySourcePort)
            {
                ReplyDestination = replyDestination,
                ReplyDestinationPort = replyDestinationPort,
            }
            : null;
    }

    public override string ToString() => $"{Protocol} {Source}:{SourcePort} -> {Destination}:{DestinationPort} (to {ReplySource}:{ReplySourcePort}){(State is null ? "" : " " + State)}";
}
