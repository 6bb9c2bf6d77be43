using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Maille.Kube.Tables;
using Maille.Lab.Api;

namespace Maille.Cli.Lab;

/// <summary>
/// <c>maille status [--lab NAME] [-o json]</c>: the node agents of a running lab, each with its state, how many syncs
/// it ran, how long the last one took, its last error, and what each data-plane part reports.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var lab = LabCommon.LabOption();
        var output = Commands.CommonOptions.CreateOutput("json");
        var command = new Command("status", """
            Show the node agents of a running lab: running or stopped (maille node stop), syncs, the last sync's
            latency and error, and per data-plane part (the Service proxy, policy enforcement) its counters, such
            as rules and map elements programmed.

            Examples:
              sudo maille status --lab demo
              sudo maille status --lab demo -o json
            """)
        {
            lab,
            output,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(lab)!;
            if (!LabCommon.CanRunLab(context, name) || !OperatingSystem.IsLinux())
            {
                return 1;
            }

            using var client = LabApi.Connect(context, name);
            if (client is null)
            {
                return 1;
            }

            var (code, answer) = client.SendAsync(HttpMethod.Get, $"/apis/{LabApiServer.MailleGroup}/nodeagents", null).GetAwaiter().GetResult();
            if (code != 200 || answer is null)
            {
                return LabApi.Print(context, code, answer);
            }

            if (parse.GetValue(output) == "json")
            {
                context.Stdout.WriteLine(answer.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            // PID, RESTARTS and REPAIRS are an agent process's (maille up --agents process); "-" for agents in the daemon.
            var table = new KubectlTable(["NODE", "AGENT", "SYNCS", "PID", "RESTARTS", "REPAIRS", "LAST SYNC", "PARTS", "LAST ERROR"]);
            foreach (var agent in answer["items"]!.AsArray())
            {
                var process = agent!["process"];
                table.Add(
                    (string)agent["node"]!,
                    (bool)agent["running"]! ? "Running" : "Stopped",
                    ((long)agent["syncs"]!).ToString(CultureInfo.InvariantCulture),
                    process is null ? "-" : process["pid"]?.ToString() ?? "down",
                    process?["restarts"]?.ToString() ?? "-",
                    process?["repairs"]?.ToString() ?? "-",
                    ((double)agent["lastSyncMilliseconds"]!).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
                    Parts(agent["parts"]!.AsObject()),
                    (string?)agent["lastError"] is { Length: > 0 } error ? error : "-");
            }

            table.Write(context.Stdout);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Each part as <c>name(key=value,…)</c> with its counters (the numbers it reports; a group of numbers, as the ebpf
    /// part's element count per map, as <c>maps.services=5</c>; a list of names, as its programs, as their number).
    /// </summary>
    private static string Parts(JsonObject parts) => parts.Count == 0
        ? "-"
        : string.Join(" ", parts.Select(p => $"{p.Key}({string.Join(",", Counters(p.Value as JsonObject ?? []))})"));

    private static IEnumerable<string> Counters(JsonObject part)
    {
        foreach (var (name, value) in part)
        {
            if (IsNumber(value))
            {
                yield return $"{name}={value}";
            }
            else if (value is JsonObject group)
            {
                foreach (var (inner, number) in group.Where(g => IsNumber(g.Value)))
                {
                    yield return $"{name}.{inner}={number}";
                }
            }
            else if (value is JsonArray list)
            {
                yield return $"{name}={list.Count}";
            }
        }
    }

    private static bool IsNumber(JsonNode? value) => value is JsonValue v && v.TryGetValue<double>(out _);
}
