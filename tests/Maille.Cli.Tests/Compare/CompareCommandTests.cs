using System.Text.Json.Nodes;
using System.Xml.Linq;
using Maille.TestKit;

namespace Maille.Cli.Tests.Compare;

// `maille compare` end to end: a small run of both data planes in one pod network mode, real labs and packets, then
// its own promise that nothing is left behind. The options are checked before anything is built.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CompareCommandTests
{
    [Theory]
    [InlineData("--modes", "routed,geneve", "error: --modes routed,geneve: unknown geneve; expected one or more of routed, vxlan, comma-separated")]
    [InlineData("--dataplanes", "iptables", "error: --dataplanes iptables: unknown iptables; expected one or more of nftables, ebpf, comma-separated")]
    [InlineData("--dataplanes", ",", "error: --dataplanes ,: expected one or more of nftables, ebpf, comma-separated")]
    public void An_unknown_mode_or_data_plane_is_a_usage_error_before_anything_is_built(string option, string value, string error)
    {
        var (code, stdout, stderr) = CliRunner.Run("compare", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(error + "\n", stderr);
    }

    [Theory]
    [InlineData("--services", "10")]
    [InlineData("--policies", "0")]
    [InlineData("--duration", "61")]
    public void Sizes_out_of_range_are_usage_errors(string option, string value)
    {
        var (code, _, stderr) = CliRunner.Run("compare", option, value);

        Assert.Equal(2, code);
        Assert.Contains($"{option} {value}: expected", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_small_comparison_of_both_data_planes_measures_every_column_and_takes_its_labs_down()
    {
        Privileged.Require();
        var chart = Path.Combine(Path.GetTempPath(), $"maille-compare-{Guid.NewGuid():N}.svg");
        var prefix = "c" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var (code, stdout, stderr) = MailleProcess.Run("compare", "--modes", "routed", "--dataplanes", "nftables,ebpf", "--services", "60", "--policies", "12",
                "--duration", "1", "--rounds", "1", "--connects", "20", "--lab-prefix", prefix, "-o", "json", "--chart", chart);

            Assert.True(code == 0, stderr);
            var rows = JsonNode.Parse(stdout)!["rows"]!.AsArray();
            Assert.Equal(["routed/nftables", "routed/ebpf"], rows.Select(r => $"{r!["mode"]}/{r["dataplane"]}"));
            foreach (var row in rows)
            {
                Assert.True((double)row!["throughputGbps"]!["podToPod"]! > 0.05, row.ToJsonString());
                Assert.True((double)row["throughputGbps"]!["podToClusterIp"]! > 0.05, row.ToJsonString());
                Assert.True((double)row["connectMs"]!["p50"]! > 0);
                Assert.True((double)row["connectMs"]!["p99"]! >= (double)row["connectMs"]!["p50"]!);
                Assert.Equal(20, (int)row["firstPacketMs"]![1]!["count"]!);
                Assert.True((double)row["programSeconds"]!["services"]! > 0);
                Assert.True((double)row["programSeconds"]!["policies"]! > 0);
                Assert.True((double)row["connectWithPoliciesMs"]!["p50"]! > 0);
                Assert.True((double)row["memoryMb"]!["daemon"]! > 10);
            }

            Assert.Equal(9, XDocument.Load(chart).Root!.Elements(XName.Get("g", "http://www.w3.org/2000/svg")).Count());
            Assert.Contains($"compare: lab {prefix}-routed-ebpf is down", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Maille.Lab.Labs.LabNamespaces.Labs(), lab => lab.StartsWith(prefix, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(chart);
            MailleProcess.Run("down", "--lab", $"{prefix}-routed-nft");
            MailleProcess.Run("down", "--lab", $"{prefix}-routed-ebpf");
        }
    }
}
