using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Maille.Cli.Compare;

/// <summary><c>maille compare</c>'s table: Markdown (the seed's comparison table, one row per combination) or JSON.</summary>
internal static class ComparisonReport
{
    public static string Markdown(IReadOnlyList<ComparisonRow> rows, ComparisonSettings settings, ComparisonMachine machine)
    {
        var text = new StringBuilder();
        var few = Count(ComparisonWorkload.InitialServices);
        var many = Count(settings.Services);
        var policies = Count(settings.Policies);
        text.AppendLine(CultureInfo.InvariantCulture, $"| mode | data plane | pod → pod Gbit/s | pod → ClusterIP Gbit/s | connect p50 / p99 ms | first packet, {few} Services p50 / p99 ms | first packet, {many} Services p50 / p99 ms | program {many} Services s | program {policies} policies s | connect, {policies} policies p50 / p99 ms | daemon memory MB |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            text.AppendLine(string.Join(" | ", ["", row.Mode, row.Dataplane, Number(row.PodToPodGbps, "F2"), Number(row.PodToClusterIpGbps, "F2"), Latency(row.Connect),
                Latency(row.FirstPacketFew), Latency(row.FirstPacketMany), Programming(row.Services), Programming(row.Policies), Latency(row.ConnectWithPolicies),
                Number(row.DaemonMemoryMb, "F0"), ""]).Trim());
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{machine.Cpus} CPUs, Linux {machine.Kernel}; load average {machine.LoadBefore} before, {machine.LoadAfter} after.");
        text.AppendLine(CultureInfo.InvariantCulture, $"{settings.Rounds} rounds, the labs in turn; iperf3 {settings.DurationSeconds} s per run (median of the rounds); {settings.Connects} connects per measure and round.");
        text.AppendLine("Program: from the API call to the end of the last node's sync that programmed it (that sync's own duration in parentheses).");
        return text.ToString();
    }

    public static string Json(IReadOnlyList<ComparisonRow> rows, ComparisonSettings settings, ComparisonMachine machine)
    {
        var root = new JsonObject
        {
            ["kind"] = "Comparison",
            ["apiVersion"] = "maille.dev/v1alpha1",
            ["settings"] = new JsonObject
            {
                ["services"] = settings.Services,
                ["policies"] = settings.Policies,
                ["durationSeconds"] = settings.DurationSeconds,
                ["rounds"] = settings.Rounds,
                ["connects"] = settings.Connects,
            },
            ["machine"] = new JsonObject
            {
                ["cpus"] = machine.Cpus,
                ["kernel"] = machine.Kernel,
                ["loadAverageBefore"] = machine.LoadBefore,
                ["loadAverageAfter"] = machine.LoadAfter,
            },
            ["rows"] = new JsonArray([.. rows.Select(row => (JsonNode)Row(row, settings))]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject Row(ComparisonRow row, ComparisonSettings settings) => new()
    {
        ["mode"] = row.Mode,
        ["dataplane"] = row.Dataplane,
        ["throughputGbps"] = new JsonObject { ["podToPod"] = Round(row.PodToPodGbps, 3), ["podToClusterIp"] = Round(row.PodToClusterIpGbps, 3) },
        ["connectMs"] = Latency(row.Connect, null),
        ["firstPacketMs"] = new JsonArray(Latency(row.FirstPacketFew, ComparisonWorkload.InitialServices), Latency(row.FirstPacketMany, settings.Services)),
        ["programSeconds"] = new JsonObject { ["services"] = Round(row.Services?.Seconds, 3), ["policies"] = Round(row.Policies?.Seconds, 3) },
        ["agentSyncMs"] = new JsonObject { ["services"] = Round(row.Services?.AgentSyncMs, 1), ["policies"] = Round(row.Policies?.AgentSyncMs, 1) },
        ["connectWithPoliciesMs"] = Latency(row.ConnectWithPolicies, null, settings.Policies),
        ["memoryMb"] = new JsonObject { ["daemon"] = Round(row.DaemonMemoryMb, 1) },
    };

    private static JsonObject Latency(LatencySummary? latency, int? services, int? policies = null)
    {
        var node = new JsonObject();
        if (services is { } s)
        {
            node["services"] = s;
        }

        if (policies is { } p)
        {
            node["policies"] = p;
        }

        node["p50"] = Round(latency?.P50Ms, 4);
        node["p99"] = Round(latency?.P99Ms, 4);
        node["count"] = latency?.Count;
        return node;
    }

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";

    private static string Latency(LatencySummary? latency) =>
        latency is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{latency.P50Ms:F3} / {latency.P99Ms:F3}");

    private static string Programming(ProgrammingTime? time) =>
        time is null ? "–" : string.Create(CultureInfo.InvariantCulture, $"{time.Seconds:F2} ({time.AgentSyncMs:F0} ms)");
}
