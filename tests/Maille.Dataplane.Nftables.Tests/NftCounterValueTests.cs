namespace Maille.Dataplane.Nftables.Tests;

public sealed class NftCounterValueTests
{
    // `list table` prints the named counters first, then chains whose rules name them or count anonymously.
    private const string Listing = """
        table ip maille-policy {
        	counter np-default-web-i0 {
        		packets 3 bytes 180
        	}
        	counter np-default-web-e1 {
        		packets 0 bytes 0
        	}
        	chain forward {
        		type filter hook forward priority filter; policy accept;
        		ip daddr 198.18.0.5 counter name "np-default-web-i0" accept
        		counter packets 7 bytes 420 drop
        	}
        }
        """;

    [Fact]
    public void A_table_listing_yields_its_named_counters_and_no_rule_counter()
    {
        var counters = NftCounterValue.Parse(Listing);

        Assert.Equal(
            [new NftCounterValue("np-default-web-i0", 3, 180), new NftCounterValue("np-default-web-e1", 0, 0)],
            counters);
    }
}
