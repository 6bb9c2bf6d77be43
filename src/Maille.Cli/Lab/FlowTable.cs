using System.Globalization;
using System.Text.Json.Nodes;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille observe</c>'s table, written a row at a time (a followed stream cannot measure its columns first, as
/// kubectl's tables do): fixed widths, long names cut with <c>…</c> except the rule, which is last and whole.
/// </summary>
internal static class FlowTable
{
    private static readonly int[] Widths = [12, 10, 32, 32, 24, 9, 8];

    public static string Header { get; } = Line(["TIME", "NODE", "FROM", "TO", "SERVICE", "PORT", "VERDICT", "RULE"]);

    /// <summary>A <c>Flow</c> line's row, or for a <c>Lost</c> line a row that says how many events are missing and where.</summary>
    public static string Row(JsonNode item)
    {
        var time = DateTimeOffset.Parse((string)item["time"]!, CultureInfo.InvariantCulture).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if ((string?)item["kind"] == "Lost")
        {
            var count = (long)item["count"]!;
            var exact = (bool)item["exact"]! ? "" : "at least ";
            return Line([time, (string?)item["node"] ?? "-", $"LOST {exact}{count} event{(count == 1 ? "" : "s")}", $"({(string)item["source"]!})", "", "", "", ""]);
        }

        var service = (string?)item["service"] is { } name ? $"{name}:{(int)item["servicePort"]!}" : (string?)item["serviceIP"] is { } ip ? $"{ip}:{(int)item["servicePort"]!}" : "-";
        return Line([
            time,
            (string)item["node"]!,
            Endpoint(item, "from", "fromIP"),
            Endpoint(item, "to", "toIP"),
            service,
            $"{(int)item["port"]!}/{(string)item["protocol"]!}",
            (string)item["verdict"]!,
            (string)item["rule"]!]);
    }

    private static string Endpoint(JsonNode item, string pod, string address) => (string?)item[pod] ?? (string)item[address]!;

    private static string Line(string[] cells) =>
        string.Join("  ", cells.Select((cell, i) => i < Widths.Length ? Fit(cell, Widths[i]) : cell)).TrimEnd();

    private static string Fit(string cell, int width) => cell.Length <= width ? cell.PadRight(width) : string.Concat(cell.AsSpan(0, width - 1), "…");
}
