using System.Text.Json.Nodes;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

// Privileged: a lab of 2,000 pods (4 nodes × 500, pod CIDRs /22: node k's pods in 198.19.4k.0/22) brought up with
// `./maille up`, probed on a seeded sample of pairs, and taken down. Past ~450 pods the daemon once aborted in
// libnftables' select() (a descriptor above FD_SETSIZE); this size keeps such a regression from passing CI.
public sealed class LabScaleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Sample = 3000;

    [SkippableFact]
    public void A_lab_of_2000_pods_comes_up_past_FD_SETSIZE_and_a_sample_of_its_connections_agrees_with_the_engine()
    {
        Privileged.Require();
        using var manifests = GeneratedLab.Write(nodes: 4, podsPerNode: 500, backOnlyFromFront: true);
        string name;
        using (var lab = LiveLab.Create(output))
        {
            name = lab.Name;
            var up = lab.Run("up", "-f", manifests.PodsFile, "--config", manifests.ConfigFile);
            Assert.True(up.ExitCode == 0, up.Stderr + up.Stdout);
            Assert.Contains($"Lab {lab.Name} is up", up.Stdout, StringComparison.Ordinal);

            // The daemon holds a descriptor per served port: well past the 1,024 that select() can take.
            var daemon = new LabState(lab.Name).ReadPid()!.Value;
            Assert.True(Directory.GetFiles($"/proc/{daemon}/fd").Length > 2000, "the daemon should hold a descriptor per pod port");

            // The daemon runs with the young-generation budget the `maille` script gives the CLI (memory, docs/benchmarks.md).
            var budget = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "maille")), @"DOTNET_GCgen0size:-(0x[0-9a-f]+)").Groups[1].Value;
            Assert.NotEmpty(budget);
            var environment = File.ReadAllText($"/proc/{daemon}/environ").Split('\0');
            Assert.Contains($"DOTNET_GCgen0size={budget}", environment);

            // Its idle thread-pool workers sleep at once instead of spinning on the cores the lab shares (docs/benchmarks.md, session 24).
            Assert.Contains("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0", environment);

            var probe = lab.Run("probe", "--sample", $"{Sample}", "--seed", "20261205", "-o", "json");
            Assert.True(probe.ExitCode == 0, probe.Stderr + probe.Stdout[..Math.Min(2000, probe.Stdout.Length)]);
            var json = JsonNode.Parse(probe.Stdout)!;
            Assert.Equal(manifests.PodCount, json["pods"]!.AsArray().Count);
            Assert.Equal(Sample, (int)json["sample"]!["pairs"]!);
            Assert.Equal(20261205, (int)json["sample"]!["seed"]!);
            var connections = json["connections"]!.AsArray();
            Assert.Equal(Sample, connections.Count);
            Assert.Empty(json["mismatches"]!.AsArray());

            // The sample must exercise both verdicts across nodes, or agreeing with the engine would prove little.
            var crossNode = connections.Where(c => Node((string)c!["from"]!) != Node((string)c!["to"]!)).ToList();
            Assert.Contains(crossNode, c => (bool)c!["allowed"]!);
            Assert.Contains(crossNode, c => !(bool)c!["allowed"]!);
        }

        // Taken down: nothing of the lab is left.
        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(name)));
        Assert.False(Directory.Exists(LabNames.NamespaceHome(name)));
    }

    [SkippableFact]
    public void A_lab_bigger_than_its_pod_CIDRs_is_refused_before_anything_is_built()
    {
        Privileged.Require();
        using var manifests = GeneratedLab.Write(nodes: 1, podsPerNode: 300);
        File.WriteAllText(manifests.ConfigFile, "apiVersion: maille.dev/v1alpha1\nkind: ClusterConfig\nnodeCount: 1\npodCIDRPrefix: 24\n");
        using var lab = LiveLab.Create(output);
        var up = lab.Run("up", "-f", manifests.PodsFile, "--config", manifests.ConfigFile);
        Assert.Equal(1, up.ExitCode);
        Assert.Contains("node node-1 has 300 pods but its pod CIDR 198.19.1.0/24 holds 253: set podCIDRPrefix: 23", up.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was built", up.Stderr, StringComparison.Ordinal);
        Assert.Empty(NetworkNamespace.List(LabNames.Prefix(lab.Name)));
        Assert.False(new LabState(lab.Name).Exists);
    }

    /// <summary>The node of a generated pod (<c>default/pK-I</c> runs on <c>node-K</c>).</summary>
    private static string Node(string pod) => pod.Split('/')[1].Split('-')[0];
}
