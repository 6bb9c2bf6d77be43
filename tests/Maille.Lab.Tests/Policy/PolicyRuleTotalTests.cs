using Maille.Engine.NetworkPolicies;
using Maille.Lab.Policy;
using Maille.Model;

namespace Maille.Lab.Tests.Policy;

public sealed class PolicyRuleTotalTests
{
    private static readonly PolicyRuleId AllowY = new("x", "allow-y", PolicyDirection.Ingress, 0);
    private static readonly PolicyRuleId ToY = new("x", "to-y", PolicyDirection.Egress, 1);

    [Fact]
    public void A_rule_counted_on_several_nodes_is_summed_with_each_nodes_share_kept()
    {
        var totals = PolicyRuleTotal.Sum(
        [
            ("node-2", [new PolicyRuleCount(AllowY, 3, 180), new PolicyRuleCount(ToY, 0, 0)]),
            ("node-1", [new PolicyRuleCount(AllowY, 2, 120)]),
        ]);

        Assert.Equal([ToY, AllowY], totals.Select(t => t.Rule));   // counter name order: egress/… before ingress/…
        var allowY = totals[1];
        Assert.Equal(5, allowY.Packets);
        Assert.Equal(300, allowY.Bytes);
        Assert.Equal(["node-1", "node-2"], allowY.Nodes.Select(n => n.Node));
        Assert.Equal(0, totals[0].Packets);
    }

    [Fact]
    public void No_node_no_totals()
    {
        Assert.Empty(PolicyRuleTotal.Sum([]));
    }
}
