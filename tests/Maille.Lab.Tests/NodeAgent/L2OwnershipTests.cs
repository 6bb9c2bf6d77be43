using System.Net;
using Maille.Lab.NodeAgents;

namespace Maille.Lab.Tests.NodeAgents;

// Two LoadBalancer addresses, .210 and .211, and the nodes that claim them; no network.
public sealed class L2OwnershipTests
{
    private static readonly IPAddress A = IPAddress.Parse("198.18.0.210");
    private static readonly IPAddress B = IPAddress.Parse("198.18.0.211");

    [Fact]
    public async Task A_newly_elected_node_announces_only_once_the_previous_holder_has_withdrawn()
    {
        var ownership = new L2Ownership();
        Assert.Null(ownership.Claim(A, "node-1", TimeSpan.Zero));

        var claiming = Task.Run(() => ownership.Claim(A, "node-2", TimeSpan.FromSeconds(10)));
        await Task.Delay(100);
        Assert.False(claiming.IsCompleted);   // node-1 still answers

        ownership.Release(A, "node-1");
        Assert.Null(await claiming.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("node-2", ownership.Claim(A, "node-1", TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Two_nodes_swapping_addresses_do_not_wait_for_each_other_as_each_withdraws_before_it_announces()
    {
        var ownership = new L2Ownership();
        ownership.Claim(A, "node-1", TimeSpan.Zero);
        ownership.Claim(B, "node-2", TimeSpan.Zero);

        var node1 = Task.Run(() =>
        {
            ownership.Release(A, "node-1");
            return ownership.Claim(B, "node-1", TimeSpan.FromSeconds(10));
        });
        var node2 = Task.Run(() =>
        {
            ownership.Release(B, "node-2");
            return ownership.Claim(A, "node-2", TimeSpan.FromSeconds(10));
        });

        Assert.All(await Task.WhenAll(node1, node2).WaitAsync(TimeSpan.FromSeconds(5)), Assert.Null);
    }

    [Fact]
    public void A_claim_that_times_out_names_the_node_still_answering_and_a_release_by_another_node_changes_nothing()
    {
        var ownership = new L2Ownership();
        ownership.Claim(A, "node-1", TimeSpan.Zero);
        ownership.Release(A, "node-2");
        Assert.Equal("node-1", ownership.Claim(A, "node-2", TimeSpan.FromMilliseconds(20)));
        Assert.Null(ownership.Claim(A, "node-1", TimeSpan.Zero));   // its own address: at once
    }
}
