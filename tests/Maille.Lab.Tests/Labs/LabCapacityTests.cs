using Maille.Lab.Labs;
using Maille.Model;
using Maille.TestKit;

namespace Maille.Lab.Tests.Labs;

public sealed class LabCapacityTests
{
    private static readonly MachineLimits Roomy = new(DescriptorLimit: 1_000_000, AvailableMemory: 64L << 30);

    [Fact]
    public void A_lab_that_fits_its_pod_CIDRs_and_the_machine_passes()
    {
        using var manifests = GeneratedLab.Write(nodes: 2, podsPerNode: 300);
        var cluster = Plan(manifests);

        Assert.Empty(LabCapacity.Check(cluster, Roomy));
    }

    [Fact]
    public void A_node_with_more_pods_than_its_pod_CIDR_holds_names_the_prefix_that_would_hold_them()
    {
        using var manifests = GeneratedLab.Write(nodes: 1, podsPerNode: 300);
        var cluster = Cluster.Plan(File.ReadAllText(manifests.PodsFile), new ClusterConfig { NodeCount = 1, PodCidrPrefix = 24 }).Cluster!;

        var problem = Assert.Single(LabCapacity.Check(cluster, Roomy));
        Assert.Equal("node node-1 has 300 pods but its pod CIDR 198.19.1.0/24 holds 253: set podCIDRPrefix: 23 (or lower) in the ClusterConfig (--config), or spread the pods over more nodes (nodeCount)", problem);
    }

    [Fact]
    public void A_lab_needing_more_descriptors_than_a_process_may_open_names_the_limit_and_how_to_raise_it()
    {
        using var manifests = GeneratedLab.Write(nodes: 2, podsPerNode: 300);
        var cluster = Plan(manifests);

        var problem = Assert.Single(LabCapacity.Check(cluster, Roomy with { DescriptorLimit = 1000 }));
        Assert.StartsWith("the lab needs about 1624 open descriptors (one per served port: 600;", problem, StringComparison.Ordinal);
        Assert.Contains("a process may open 1000 here (ulimit -Hn)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lab_needing_more_memory_than_is_available_says_how_much_it_needs()
    {
        using var manifests = GeneratedLab.Write(nodes: 2, podsPerNode: 300);
        var cluster = Plan(manifests);

        var problem = Assert.Single(LabCapacity.Check(cluster, Roomy with { AvailableMemory = 100L << 20 }));
        Assert.StartsWith($"the lab needs about {(LabCapacity.BytesBase + (600 * LabCapacity.BytesPerPod)) >> 20} MiB of memory", problem, StringComparison.Ordinal);
        Assert.Contains("but 100 MiB are available", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(253, 24)]
    [InlineData(254, 23)]
    [InlineData(1000, 22)]
    public void The_prefix_for_a_pod_count_is_the_longest_that_holds_it(int pods, int prefix) =>
        Assert.Equal(prefix, LabCapacity.PrefixFor(pods));

    private static Engine.ClusterState Plan(GeneratedLab manifests) =>
        Cluster.Plan(File.ReadAllText(manifests.PodsFile), new ClusterConfig { NodeCount = manifests.Nodes, PodCidrPrefix = 22 }).Cluster!;
}
