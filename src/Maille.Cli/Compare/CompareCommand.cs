using System.CommandLine;
using System.Globalization;
using Maille.Cli.Lab;

namespace Maille.Cli.Compare;

/// <summary>
/// <c>maille compare [--modes routed,vxlan] [--dataplanes nftables,ebpf] [-o md|json] [--chart FILE]</c>: brings up one
/// lab per combination of pod network mode and data plane, runs the same workload in each, side by side, and prints
/// the comparison table; takes every lab down again, whatever happens.
/// </summary>
internal static class CompareCommand
{
    public static readonly IReadOnlyList<string> Modes = ["routed", "vxlan"];

    public static readonly IReadOnlyList<string> Dataplanes = ["nftables", "ebpf"];

    public static Command Create(CliContext context)
    {
        var modes = new Option<string>("--modes") { Description = "Pod network modes to compare, comma-separated: routed, vxlan", DefaultValueFactory = _ => "routed,vxlan" };
        var dataplanes = new Option<string>("--dataplanes") { Description = "Data planes to compare, comma-separated: nftables, ebpf", DefaultValueFactory = _ => "nftables,ebpf" };
        var output = new Option<string>("--output", "-o") { Description = "md (a Markdown table) or json", DefaultValueFactory = _ => "md" };
        output.AcceptOnlyFromAmong("md", "json");
        var chart = new Option<string?>("--chart") { Description = "Also write the comparison as an SVG chart to this file" };
        var services = Positive("--services", "Services programmed for the many-Services measures (the first 10 included)", 10_000, ComparisonWorkload.InitialServices + 1, 30_000);
        var policies = Positive("--policies", "NetworkPolicies selecting the server for the policy measures", 1_000, 1, 16_000);
        var duration = Positive("--duration", "Seconds of each iperf3 run", 5, 1, 60);
        var rounds = Positive("--rounds", "Rounds of each traffic measure, the labs taken in turn", 3, 1, 20);
        var connects = Positive("--connects", "Timed connects per lab, measure and round", 200, 10, 10_000);
        var prefix = new Option<string>("--lab-prefix") { Description = "The labs are named PREFIX-MODE-DATAPLANE", DefaultValueFactory = _ => "cmp" };
        var command = new Command("compare", """
            Compare pod network modes and data planes on this machine (root): one lab per combination, the same
            workload in each (two nodes; a client pod on one, a server pod on the other), measured side by side in
            one run, the labs taken in turn each round. Per combination: pod → pod and pod → ClusterIP throughput
            (iperf3, cross-node), connect latency (p50, p99), first-packet latency to ClusterIPs at 10 and at
            --services Services, the time to program --services Services and --policies NetworkPolicies, connect
            latency with those policies, and the daemon's memory. Every lab is taken down at the end, also when a
            measure fails or the run is interrupted. Progress goes to stderr, the table to stdout.
            Installs iperf3 when it is missing (apt-get).

            Examples:
              sudo maille compare
              sudo maille compare --modes routed --dataplanes nftables,ebpf -o json --chart compare.svg
              sudo maille compare --services 1000 --policies 100 --duration 2 --rounds 1
            """)
        {
            modes,
            dataplanes,
            output,
            chart,
            services,
            policies,
            duration,
            rounds,
            connects,
            prefix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosenModes = List(context, "--modes", parse.GetValue(modes)!, Modes);
            var chosenDataplanes = List(context, "--dataplanes", parse.GetValue(dataplanes)!, Dataplanes);
            if (chosenModes is null || chosenDataplanes is null)
            {
                return 2;
            }

            var combinations = chosenModes.SelectMany(m => chosenDataplanes.Select(d => (Mode: m, Dataplane: d, Lab: $"{parse.GetValue(prefix)}-{m}-{(d == "nftables" ? "nft" : d)}"))).ToList();
            if (!OperatingSystem.IsLinux() || combinations.Any(c => !LabCommon.CanRunLab(context, c.Lab)))
            {
                return 1;
            }

            var settings = new ComparisonSettings(parse.GetValue(services), parse.GetValue(policies), parse.GetValue(duration), parse.GetValue(rounds), parse.GetValue(connects));
            return await ComparisonRun.RunAsync(context, combinations, settings, parse.GetValue(output)!, parse.GetValue(chart), cancellationToken);
        });
        return command;
    }

    /// <summary>The comma-separated <paramref name="text"/> as a list of known values in their given order, or null (said why).</summary>
    internal static List<string>? List(CliContext context, string option, string text, IReadOnlyList<string> known)
    {
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var unknown = values.Where(v => !known.Contains(v)).ToList();
        if (values.Count == 0 || unknown.Count > 0)
        {
            context.Stderr.WriteLine($"error: {option} {text}: {(unknown.Count > 0 ? $"unknown {string.Join(", ", unknown)}; " : "")}expected one or more of {string.Join(", ", known)}, comma-separated");
            return null;
        }

        return values;
    }

    private static Option<int> Positive(string name, string description, int otherwise, int min, int max)
    {
        var option = new Option<int>(name) { Description = $"{description} (default {otherwise.ToString(CultureInfo.InvariantCulture)})", DefaultValueFactory = _ => otherwise };
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) is var value && (value < min || value > max))
            {
                result.AddError($"{name} {value}: expected {min} to {max}");
            }
        });
        return option;
    }
}
