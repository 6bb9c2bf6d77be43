using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.TestKit;

namespace Maille.Dataplane.Linux.Tests;

public sealed class LabNamesTests
{
    [Theory]
    [InlineData("maille-bench-underlay", "bench")]
    [InlineData("maille-bench-external", "bench")]
    [InlineData("maille-bench-node-1", "bench")]
    [InlineData("maille-bench-node-worker.a-2", "bench")]
    [InlineData("maille-default-pod-0123456789ab", "default")]
    [InlineData("maille-t1-underlay", "t1")]
    [InlineData("maille-hold_49-node-node-1", "hold-49")]
    [InlineData("maille-a_b_c-pod-0123456789ab", "a-b-c")]
    public void A_namespace_shaped_like_a_labs_names_its_lab(string name, string lab)
    {
        Assert.Equal(lab, LabNames.LabOf(name));
        Assert.True(LabNames.IsLabNamespace(lab, name));
    }

    [Theory]
    [InlineData("maille-bench-a")]
    [InlineData("maille-bench-b")]
    [InlineData("maille-bench-underlay2")]
    [InlineData("maille-bench-node-")]
    [InlineData("maille-bench-pod-0123456789")]
    [InlineData("maille-bench-pod-0123456789AB")]
    [InlineData("maille-Bench-underlay")]
    [InlineData("other-bench-underlay")]
    [InlineData("maille-underlay")]
    [InlineData("maille-_bench-underlay")]
    [InlineData("maille-bench_-underlay")]
    public void Other_namespaces_that_share_the_prefix_belong_to_no_lab(string name)
    {
        Assert.Null(LabNames.LabOf(name));
        Assert.False(LabNames.IsLabNamespace("bench", name));
    }

    [Fact]
    public void A_labs_namespaces_are_not_another_labs()
    {
        Assert.False(LabNames.IsLabNamespace("bench", LabNames.Underlay("benchx")));
        Assert.False(LabNames.IsLabNamespace("bench", LabNames.Node("bench2", "node-1")));
        Assert.True(LabNames.IsLabNamespace("bench", LabNames.Pod("bench", "x/a")));
        Assert.True(LabNames.IsLabNamespace("bench", LabNames.Node("bench", "node-1")));
        Assert.True(LabNames.IsLabNamespace("bench", LabNames.External("bench")));
        Assert.False(LabNames.IsLabNamespace("hold", LabNames.Node("hold-49", "node-1")));
        Assert.False(LabNames.IsLabNamespace("hold-4", LabNames.Node("hold-49", "node-1")));
        Assert.True(LabNames.IsLabNamespace("hold-49", LabNames.Node("hold-49", "node-1")));
        Assert.Equal("maille-hold_49-node-node-1", LabNames.Node("hold-49", "node-1"));
    }

    [Theory]
    [InlineData("demo", true)]
    [InlineData("hold-49", true)]
    [InlineData("a-b-c", true)]
    [InlineData("a", true)]
    [InlineData("-hold", false)]
    [InlineData("hold-", false)]
    [InlineData("Hold", false)]
    [InlineData("hold_49", false)]
    [InlineData("hold.49", false)]
    [InlineData("", false)]
    [InlineData("abcdefghij-abcdefghij-abcdefghij", true)]
    [InlineData("abcdefghij-abcdefghij-abcdefghijk", false)]
    public void A_lab_name_is_a_dns_label_of_at_most_32_characters(string lab, bool valid)
    {
        Assert.Equal(valid, LabNames.IsValidLab(lab));
    }

    [SkippableFact]
    public void Teardown_leaves_namespaces_that_only_share_the_labs_prefix()
    {
        Privileged.Require();
        var lab = TestNames.NewLab();
        var bystander = $"maille-{lab}-a";
        var own = LabNames.Underlay(lab);
        try
        {
            NetworkNamespace.Create(bystander).Dispose();
            NetworkNamespace.Create(own).Dispose();

            Assert.Equal([own], LabNetworkBuilder.Namespaces(lab));
            Assert.Equal(1, LabNetworkBuilder.Teardown(lab));
            Assert.True(NetworkNamespace.Exists(bystander));
            Assert.False(NetworkNamespace.Exists(own));
        }
        finally
        {
            foreach (var name in new[] { bystander, own }.Where(NetworkNamespace.Exists))
            {
                NetworkNamespace.Delete(name);
            }
        }
    }
}
