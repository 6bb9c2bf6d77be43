using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Maille.Lab.Probing;

/// <summary>Prints a probe report as truth tables (observed; mismatches marked) or as matrix-shaped JSON.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ProbeOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(ProbeReport report, bool json, TextWriter writer)
    {
        if (json)
        {
            WriteJson(report, writer);
            return;
        }

        if (report.Sample is not null || report.Pods.Length > MaxPodsInTable)
        {
            WriteSummary(report, writer);
            return;
        }

        var cells = report.Cells.ToDictionary(c => (c.From, c.To, c.Port));
        var width = report.Pods.Max(p => p.Length);
        foreach (var port in report.Ports)
        {
            writer.WriteLine($"Observed {port} (. connected/answered, X not; ! marks a difference from the engine):");
            var header = new StringBuilder(new string(' ', width + 1));
            foreach (var to in report.Pods)
            {
                header.Append(to.PadRight(width + 1));
            }

            writer.WriteLine(header.ToString().TrimEnd());
            foreach (var from in report.Pods)
            {
                var row = new StringBuilder(from.PadRight(width + 1));
                foreach (var to in report.Pods)
                {
                    var cell = cells[(from, to, port)];
                    row.Append(((cell.Observed ? "." : "X") + (cell.IsMismatch ? "!" : "")).PadRight(width + 1));
                }

                writer.WriteLine(row.ToString().TrimEnd());
            }

            writer.WriteLine();
        }

        foreach (var cell in report.Mismatches)
        {
            writer.WriteLine(MismatchLine(cell));
        }
    }

    /// <summary>A difference, with the engine's reason when it expects a denial (e.g. the mesh rule that refuses).</summary>
    private static string MismatchLine(ProbeCell cell) =>
        $"mismatch: {cell.From} → {cell.To} {cell.Port}: observed {(cell.Observed ? "allowed" : "denied")} ({cell.Outcome}), engine expects {(cell.Expected ? "allowed" : "denied")}{(cell.Reason is null ? "" : $" ({cell.Reason})")}";

    /// <summary>Labs with more pods than this get a summary per port instead of truth tables no screen holds.</summary>
    public const int MaxPodsInTable = 50;

    private static void WriteSummary(ProbeReport report, TextWriter writer)
    {
        var what = report.Sample is { } sample
            ? $"{report.Cells.Length / Math.Max(1, report.Ports.Length)} sampled pairs of {report.Pods.Length} pods per port (seed {sample.Seed})"
            : $"every pair of {report.Pods.Length} pods";
        writer.WriteLine($"Observed {what}:");
        writer.WriteLine("PORT        PROBED     ALLOWED    DENIED     MISMATCHES");
        foreach (var port in report.Ports)
        {
            var cells = report.Cells.Where(c => c.Port == port).ToList();
            writer.WriteLine($"{port,-11} {cells.Count,-10} {cells.Count(c => c.Observed),-10} {cells.Count(c => !c.Observed),-10} {cells.Count(c => c.IsMismatch)}");
        }

        foreach (var cell in report.Mismatches)
        {
            writer.WriteLine(MismatchLine(cell));
        }
    }

    private static void WriteJson(ProbeReport report, TextWriter writer)
    {
        var json = new JsonObject
        {
            ["pods"] = new JsonArray([.. report.Pods.Select(p => (JsonNode)JsonValue.Create(p)!)]),
            ["sample"] = report.Sample is { } sample ? new JsonObject { ["pairs"] = sample.Pairs, ["seed"] = sample.Seed } : null,
            ["ports"] = new JsonArray([.. report.Ports.Select(p => (JsonNode)JsonValue.Create(p.ToString())!)]),
            ["connections"] = new JsonArray([.. report.Cells.Select(c => (JsonNode)new JsonObject
            {
                ["from"] = c.From,
                ["to"] = c.To,
                ["port"] = c.Port.ToString(),
                ["allowed"] = c.Observed,
                ["expected"] = c.Expected,
                ["outcome"] = c.Outcome,
            })]),
            ["mismatches"] = new JsonArray([.. report.Mismatches.Select(c => (JsonNode)new JsonObject
            {
                ["from"] = c.From,
                ["to"] = c.To,
                ["port"] = c.Port.ToString(),
                ["observed"] = c.Observed,
                ["expected"] = c.Expected,
                ["outcome"] = c.Outcome,
                ["reason"] = c.Reason,
            })]),
        };
        writer.WriteLine(json.ToJsonString(Indented));
    }
}
