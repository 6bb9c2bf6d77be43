using System.Net;
using Maille.Dataplane.Linux.Nftables;

namespace Maille.Dataplane.Linux.Tests.Nftables;

// Lines of `conntrack -L` as the node's conntrack prints them: node-1 at 198.18.0.11, the external client at
// 198.18.0.2, a pod of node-1 at 198.19.1.2.
public sealed class ConntrackEntryTests
{
    [Fact]
    public void A_NodePort_connection_masqueraded_to_a_pod_of_the_node_names_the_client_the_endpoint_and_where_the_reply_goes()
    {
        var entry = ConntrackEntry.TryParse("tcp      6 431999 ESTABLISHED src=198.18.0.2 dst=198.18.0.11 sport=40000 dport=30090 src=198.19.1.2 dst=198.18.0.11 sport=8080 dport=61234 [ASSURED] mark=0 use=1");

        Assert.NotNull(entry);
        Assert.Equal(("tcp", "ESTABLISHED", IPAddress.Parse("198.18.0.2"), 40000, IPAddress.Parse("198.18.0.11"), 30090), (entry.Protocol, entry.State, entry.Source, entry.SourcePort, entry.Destination, entry.DestinationPort));
        Assert.Equal((IPAddress.Parse("198.19.1.2"), 8080), (entry.ReplySource, entry.ReplySourcePort));
        Assert.Equal((IPAddress.Parse("198.18.0.11"), 61234), (entry.ReplyDestination, entry.ReplyDestinationPort));
    }

    [Fact]
    public void A_UDP_flow_has_no_state_and_an_ICMP_one_is_not_an_entry()
    {
        var udp = ConntrackEntry.TryParse("udp      17 25 src=198.19.1.2 dst=198.19.2.3 sport=5353 dport=53 src=198.19.2.3 dst=198.19.1.2 sport=53 dport=5353 mark=0 use=1");

        Assert.NotNull(udp);
        Assert.Null(udp.State);
        Assert.Equal((IPAddress.Parse("198.19.1.2"), 5353), (udp.ReplyDestination, udp.ReplyDestinationPort));
        Assert.Null(ConntrackEntry.TryParse("icmp     1 29 src=198.19.1.2 dst=198.19.2.3 type=8 code=0 id=7 src=198.19.2.3 dst=198.19.1.2 type=0 code=0 id=7 mark=0 use=1"));
    }
}
