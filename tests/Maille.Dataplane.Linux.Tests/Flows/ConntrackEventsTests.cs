using System.Net;
using Maille.Dataplane.Linux.Flows;

namespace Maille.Dataplane.Linux.Tests.Flows;

/// <summary>
/// ctnetlink's new-connection events, parsed from datagrams captured in a scratch namespace (a Python AF_NETLINK
/// socket bound to NFNLGRP_CONNTRACK_NEW; loopback connections, tracked by an nftables <c>ct state new</c> rule).
/// </summary>
public sealed class ConntrackEventsTests
{
    /// <summary>127.0.0.1:53944 → 127.0.0.1:8080 over TCP, not translated.</summary>
    private const string Direct =
        "c4000000000100060000000000000000020000003400018014000180080001007f000001080002007f0000011c000280050001000600000006000200d2b80000060003001f9000003400028014000180080001007f000001080002007f0000011c0002800500010006000000060002001f90000006000300d2b8000008000c0042481b0e08000300000000080800070000000078300004802c0001800500010001000000050002000a000000050003000000000006000400030000000600050000000000";

    /// <summary>127.0.0.1:40000 → 198.18.99.1:80, which an output-hook DNAT sent to 127.0.0.1:8080 (a Service's translation).</summary>
    private const string Translated =
        "c4000000000100060000000000000000020000003400018014000180080001007f00000108000200c61263011c0002800500010006000000060002009c40000006000300005000003400028014000180080001007f000001080002007f0000011c0002800500010006000000060002001f900000060003009c40000008000c00802c0e8b08000300000001a80800070000000078300004802c0001800500010001000000050002000a000000050003000000000006000400030000000600050000000000";

    [Fact]
    public void ANewConnection_GivesItsOriginalAndReplyTuples()
    {
        var events = ConntrackEvents.Parse(Convert.FromHexString(Direct));

        var e = Assert.Single(events);
        Assert.Equal(new ConntrackEvent(6, IPAddress.Loopback, 53944, IPAddress.Loopback, 8080, IPAddress.Loopback, 8080, IPAddress.Loopback, 53944), e);
        Assert.False(e.Translated);
    }

    [Fact]
    public void ATranslatedConnection_RepliesFromTheEndpointNotTheAddressTheClientUsed()
    {
        var e = Assert.Single(ConntrackEvents.Parse(Convert.FromHexString(Translated)));

        Assert.Equal((IPAddress.Parse("198.18.99.1"), (ushort)80), (e.Destination, e.DestinationPort));
        Assert.Equal((IPAddress.Loopback, (ushort)8080), (e.ReplySource, e.ReplySourcePort));
        Assert.Equal((ushort)40000, e.SourcePort);
        Assert.True(e.Translated);
    }

    [Fact]
    public void TwoMessagesInOneDatagram_AreBothRead()
    {
        var datagram = Convert.FromHexString(Direct + Translated);

        Assert.Equal([(ushort)8080, (ushort)80], ConntrackEvents.Parse(datagram).Select(e => e.DestinationPort));
    }

    [Fact]
    public void ACutDatagram_GivesOnlyTheWholeMessages()
    {
        var whole = Convert.FromHexString(Direct);
        var cut = whole.Concat(Convert.FromHexString(Translated)[..40]).ToArray();

        Assert.Single(ConntrackEvents.Parse(cut));
        Assert.Empty(ConntrackEvents.Parse(whole.AsSpan(0, 60)));
    }

    [Fact]
    public void AnotherMessageType_IsSkipped()
    {
        var destroy = Convert.FromHexString(Direct);
        destroy[4] = 2; // IPCTNL_MSG_CT_DELETE

        Assert.Empty(ConntrackEvents.Parse(destroy));
    }
}
