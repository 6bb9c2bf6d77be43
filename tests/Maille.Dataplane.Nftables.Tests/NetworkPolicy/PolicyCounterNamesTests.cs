using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Nftables.Tests.NetworkPolicies;

/// <summary>A policy rule's counter is named by the engine's key, shortened only where nftables' 255-byte limit needs it.</summary>
public sealed class PolicyCounterNamesTests
{
    [Fact]
    public void A_key_that_fits_is_the_counter_name()
    {
        Assert.Equal("ingress/x/allow-80/0", new PolicyRuleId("x", "allow-80", PolicyDirection.Ingress, 0).CounterName);
    }

    [Fact]
    public void A_key_longer_than_nftables_allows_becomes_the_direction_and_a_hash()
    {
        var rule = new PolicyRuleId("x", new string('p', 253), PolicyDirection.Egress, 0);

        Assert.True(rule.Key.Length > PolicyCounterNames.MaxLength);
        Assert.Matches("^egress/[0-9a-f]{64}$", rule.CounterName);
    }
}
