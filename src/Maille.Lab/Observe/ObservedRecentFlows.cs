using Maille.Engine.Flows;
using Maille.Model;

namespace Maille.Lab.Observe;

/// <summary>
/// "The flows seen in the last N minutes" for <c>maille apply --dry-run=impact --since N</c>: the new connections the
/// lab's nodes reported in the window (conntrack events, the recent history <c>maille observe</c> reads), together with
/// what <paramref name="tracked"/> holds now (the connections still in the nodes' conntrack tables, however old: a
/// long-lived connection opened before the window is still seen). The history is bounded, so when it does not reach
/// back to the window's start, and when events were lost in the window, the read says so among its errors.
/// </summary>
internal sealed class ObservedRecentFlows(IRecentFlows tracked, IReadOnlyList<FlowEvent> history, int historyCapacity, TimeSpan since, DateTimeOffset now) : IRecentFlows
{
    public string Window =>
        $"the new connections the nodes reported in the last {Describe(since)} (conntrack events, as maille observe shows them), and those their conntrack tables hold now";

    public RecentFlowRead Read()
    {
        var start = now - since;
        var read = tracked.Read();
        var flows = read.Flows.ToBuilder();
        var errors = read.Errors.ToBuilder();
        foreach (var record in history.OfType<FlowRecord>().Where(r => r.Allowed && r.Time >= start))
        {
            if (Enum.TryParse<Protocol>(record.Protocol, ignoreCase: true, out var protocol) && Enum.IsDefined(protocol))
            {
                flows.Add(new RecentFlow(
                    record.Node, protocol, record.FromAddress, record.FromPort, record.ToAddress, record.Port,
                    record.ServiceAddress, record.ServicePort, State: null, SeenAt: record.Time));
            }
        }

        foreach (var loss in history.OfType<FlowLoss>().Where(l => l.Time >= start && l.Source != "stream"))
        {
            errors.Add($"{loss.Node ?? "the daemon"}: {(loss.Exact ? "" : "at least ")}{loss.Count} events lost ({loss.Source}) at {loss.Time:HH:mm:ss}: flows of the window may be missing");
        }

        if (history.Count >= historyCapacity && history[0].Time > start)
        {
            errors.Add($"the history keeps the last {historyCapacity} events and reaches back to {history[0].Time:HH:mm:ss} only, not to the window's start ({start:HH:mm:ss})");
        }

        return new RecentFlowRead(flows.ToImmutable(), errors.ToImmutable());
    }

    /// <summary>The window as a person says it (<c>10m</c>, <c>1h30m</c>, <c>45s</c>).</summary>
    private static string Describe(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Hours + (span.Days * 24) is > 0 and var hours)
        {
            parts.Add($"{hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{span.Seconds}s");
        }

        return string.Concat(parts);
    }
}
