using System.Text.Json.Nodes;
using System.Xml.Linq;
using Maille.Cli.Compare;

namespace Maille.Cli.Tests.Compare;

// What `maille compare` prints and draws, from rows as its run fills them: the seed's table in Markdown, the same in
// JSON with stable field names (scripts read them), and an SVG with one bar per measured value.
public sealed class ComparisonReportTests
{
    private static readonly ComparisonSettings Settings = new(Services: 10_000, Policies: 1_000, DurationSeconds: 5, Rounds: 3, Connects: 200);

    private static readonly ComparisonMachine Machine = new(2, "6.18.0", "0.50 0.40 0.30", "1.00 0.60 0.40");

    private static readonly ComparisonRow Measured = new("routed", "ebpf")
    {
        PodToPodGbps = 12.5,
        PodToClusterIpGbps = 12.25,
        Connect = new LatencySummary(0.081, 0.261, 600),
        FirstPacketFew = new LatencySummary(0.09, 0.3, 600),
        FirstPacketMany = new LatencySummary(0.1, 0.4, 600),
        Services = new ProgrammingTime(3.456, 180.2),
        Policies = new ProgrammingTime(0.789, 95.4),
        ConnectWithPolicies = new LatencySummary(0.11, 0.5, 600),
        DaemonMemoryMb = 291.4,
    };

    private static readonly ComparisonRow NotMeasured = new("vxlan", "nftables");

    [Fact]
    public void Markdown_has_one_row_per_combination_under_the_seeds_columns_and_a_dash_for_what_was_not_measured()
    {
        var lines = ComparisonReport.Markdown([Measured, NotMeasured], Settings, Machine).Split('\n');

        Assert.Equal("| mode | data plane | pod → pod Gbit/s | pod → ClusterIP Gbit/s | connect p50 / p99 ms | first packet, 10 Services p50 / p99 ms | first packet, 10,000 Services p50 / p99 ms | program 10,000 Services s | program 1,000 policies s | connect, 1,000 policies p50 / p99 ms | daemon memory MB |", lines[0]);
        Assert.Equal("| routed | ebpf | 12.50 | 12.25 | 0.081 / 0.261 | 0.090 / 0.300 | 0.100 / 0.400 | 3.46 (180 ms) | 0.79 (95 ms) | 0.110 / 0.500 | 291 |", lines[2]);
        Assert.Equal("| vxlan | nftables | – | – | – | – | – | – | – | – | – |", lines[3]);
        Assert.Contains("load average 0.50 0.40 0.30 before, 1.00 0.60 0.40 after", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void Json_names_every_measure_and_gives_null_for_what_was_not_measured()
    {
        var json = JsonNode.Parse(ComparisonReport.Json([Measured, NotMeasured], Settings, Machine))!;

        Assert.Equal("Comparison", (string?)json["kind"]);
        Assert.Equal(10_000, (int)json["settings"]!["services"]!);
        Assert.Equal(2, (int)json["machine"]!["cpus"]!);
        var row = json["rows"]![0]!;
        Assert.Equal("routed", (string?)row["mode"]);
        Assert.Equal("ebpf", (string?)row["dataplane"]);
        Assert.Equal(12.25, (double)row["throughputGbps"]!["podToClusterIp"]!);
        Assert.Equal(0.261, (double)row["connectMs"]!["p99"]!);
        Assert.Equal([10, 10_000], row["firstPacketMs"]!.AsArray().Select(f => (int)f!["services"]!));
        Assert.Equal(0.4, (double)row["firstPacketMs"]![1]!["p99"]!);
        Assert.Equal(3.456, (double)row["programSeconds"]!["services"]!);
        Assert.Equal(95.4, (double)row["agentSyncMs"]!["policies"]!);
        Assert.Equal(1_000, (int)row["connectWithPoliciesMs"]!["policies"]!);
        Assert.Equal(291.4, (double)row["memoryMb"]!["daemon"]!);
        var empty = json["rows"]![1]!;
        Assert.Null(empty["throughputGbps"]!["podToPod"]);
        Assert.Null(empty["connectMs"]!["p50"]);
        Assert.Null(empty["programSeconds"]!["policies"]);
    }

    [Fact]
    public void The_chart_has_a_panel_per_measure_a_bar_per_measured_value_and_says_what_was_not_measured()
    {
        var svg = ComparisonChart.Render([Measured, NotMeasured], Settings);
        XNamespace ns = "http://www.w3.org/2000/svg";

        var panels = svg.Root!.Elements(ns + "g").ToList();
        Assert.Equal(9, panels.Count);
        Assert.All(panels, p => Assert.Single(p.Elements(ns + "rect")));
        Assert.All(panels, p => Assert.Contains(p.Elements(ns + "text"), t => t.Value == "not measured"));
        var throughput = panels[0];
        Assert.Equal("pod → pod, Gbit/s (higher is better)", throughput.Elements(ns + "text").First().Value);
        Assert.Contains(throughput.Elements(ns + "text"), t => t.Value == "12.50");
        Assert.Contains(panels[6].Elements(ns + "text"), t => t.Value == "program 10,000 Services, s");
    }

    [Fact]
    public void The_longest_bar_is_the_largest_value_and_the_others_are_in_proportion()
    {
        var slower = Measured with { Mode = "vxlan", PodToPodGbps = 6.25 };
        var svg = ComparisonChart.Render([Measured, slower], Settings);
        XNamespace ns = "http://www.w3.org/2000/svg";

        var widths = svg.Root!.Elements(ns + "g").First().Elements(ns + "rect").Select(r => double.Parse(r.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(widths[0] / 2, widths[1], 1);
    }

    [Theory]
    [InlineData(new[] { 5.0 }, 5.0, 5.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.0, 4.0)]
    public void Percentiles_are_nearest_rank(double[] values, double p50, double p99)
    {
        var summary = LatencySummary.Of(values);

        Assert.Equal(p50, summary.P50Ms);
        Assert.Equal(p99, summary.P99Ms);
        Assert.Equal(values.Length, summary.Count);
    }

    [Fact]
    public void The_99th_percentile_of_two_hundred_values_is_the_198th()
    {
        var summary = LatencySummary.Of([.. Enumerable.Range(1, 200).Select(i => (double)i)]);

        Assert.Equal(100, summary.P50Ms);
        Assert.Equal(198, summary.P99Ms);
    }

    [Fact]
    public void Iperf3s_report_is_read_at_the_receiver_and_a_report_without_one_is_no_rate()
    {
        Assert.Equal(9.5, Iperf3.ReceivedGbits("""{"end": {"sum_sent": {"bits_per_second": 1e10}, "sum_received": {"bits_per_second": 9.5e9}}}"""));
        Assert.Null(Iperf3.ReceivedGbits("""{"error": "the server is busy running a test. try again later"}"""));
        Assert.Null(Iperf3.ReceivedGbits("not json"));
    }
}
