using System.Net;
using System.Net.NetworkInformation;
using Maille.Dataplane.Linux.L2;

namespace Maille.Dataplane.Linux.Tests;

/// <summary>The frames the announcer and the health monitor put on the wire, byte by byte.</summary>
public sealed class ArpFrameTests
{
    private static readonly PhysicalAddress Mac = PhysicalAddress.Parse("02-00-5E-10-00-01");

    [Fact]
    public void A_gratuitous_arp_request_is_broadcast_with_the_address_as_sender_and_target()
    {
        var frame = ArpFrame.Gratuitous(Mac, IPAddress.Parse("198.18.0.200"), ArpFrame.OperationRequest);

        Assert.Equal(60, frame.Length);
        Assert.Equal(Convert.FromHexString("FFFFFFFFFFFF" + "02005E100001" + "0806"), frame[..14]);
        Assert.Equal(Convert.FromHexString("0001" + "0800" + "06" + "04" + "0001" + "02005E100001" + "C61200C8" + "000000000000" + "C61200C8"), frame[14..42]);
        Assert.All(frame[42..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_gratuitous_arp_reply_names_the_sender_as_target_hardware_address_as_linux_expects()
    {
        var frame = ArpFrame.Gratuitous(Mac, IPAddress.Parse("198.18.0.200"), ArpFrame.OperationReply);

        Assert.Equal(Convert.FromHexString("0002"), frame[20..22]);
        Assert.Equal(frame[22..28], frame[32..38]);
    }

    [Fact]
    public void An_echo_request_carries_a_checksum_that_verifies()
    {
        var packet = IcmpEcho.Request(0x1234, 7);

        Assert.Equal(8, packet[0]);
        Assert.Equal(Convert.FromHexString("12340007"), packet[4..8]);
        Assert.Equal(0, IcmpEcho.Checksum(packet));
    }

    [Fact]
    public void Only_an_echo_reply_with_our_identifier_names_its_source()
    {
        // IPv4 header (20 bytes, source 198.18.0.11) then an echo reply (type 0) for identifier 0x1234.
        var ip = Convert.FromHexString("450000240000000040010000C612000BC6120001");
        var reply = ip.Concat(Convert.FromHexString("00000000123400070000000000000000")).ToArray();
        var request = ip.Concat(Convert.FromHexString("08000000123400070000000000000000")).ToArray();
        var foreign = ip.Concat(Convert.FromHexString("00000000432100070000000000000000")).ToArray();

        Assert.Equal(IPAddress.Parse("198.18.0.11"), IcmpEcho.ReplySource(reply, 0x1234));
        Assert.Null(IcmpEcho.ReplySource(request, 0x1234));
        Assert.Null(IcmpEcho.ReplySource(foreign, 0x1234));
        Assert.Null(IcmpEcho.ReplySource(reply.AsSpan(..24), 0x1234));
    }
}
