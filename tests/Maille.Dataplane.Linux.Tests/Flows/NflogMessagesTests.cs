using System.Buffers.Binary;
using System.Net;
using Maille.Dataplane.Linux.Flows;

namespace Maille.Dataplane.Linux.Tests.Flows;

/// <summary>
/// nfnetlink_log's packet messages, parsed from a datagram captured in a scratch namespace: an nftables rule
/// <c>tcp dport 9 log prefix "maille-deny ingress-41c7c23ac077" group 20 drop</c> on the output hook, a Python socket
/// bound to group 20 with the configuration <see cref="NflogMessages.Bind"/> sends, and a loopback SYN to port 9.
/// </summary>
public sealed class NflogMessagesTests
{
    private const string DeniedSyn =
        "a400000000040000000000000000000002000014080001000800030025000a006d61696c6c652d64656e7920696e67726573732d34316337633233616330373700000000080005000000000108000b000000000008000e000000000008000c0000000000400009004500003c9e79400040069e407f0000017f000001ec100009730f7d4f00000000a002ffd7fe3000000204ffd70402080a71a5d9ab000000000103030a";

    [Fact]
    public void ALoggedPacket_GivesThePrefixAddressesPortsAndSequence()
    {
        var packet = Assert.Single(NflogMessages.Parse(Convert.FromHexString(DeniedSyn)));

        Assert.Equal(new NflogPacket("maille-deny ingress-41c7c23ac077", 6, IPAddress.Loopback, 60432, IPAddress.Loopback, 9, 0u), packet);
    }

    [Fact]
    public void ThePrefix_NamesTheDenyingChain()
    {
        var packet = Assert.Single(NflogMessages.Parse(Convert.FromHexString(DeniedSyn)));

        Assert.Equal("ingress-41c7c23ac077", Maille.Dataplane.Nftables.PolicyDenialLog.ChainOf(packet.Prefix));
    }

    [Fact]
    public void ACopyTooShortForPorts_GivesPortZero()
    {
        // The payload attribute cut to the IPv4 header alone (its length and the message's shortened to match).
        var bytes = Convert.FromHexString(DeniedSyn);
        var payload = bytes.AsSpan().IndexOf(Convert.FromHexString("400009004500"));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(payload), 4 + 20);
        var cut = bytes[..(payload + 24)];
        BinaryPrimitives.WriteUInt32LittleEndian(cut, (uint)cut.Length);

        var packet = Assert.Single(NflogMessages.Parse(cut));

        Assert.Equal((6, (ushort)0, (ushort)0), (packet.Protocol, packet.SourcePort, packet.DestinationPort));
    }

    [Fact]
    public void TheBindRequest_AsksForGroupCopyRangeAndSequenceNumbers()
    {
        var request = NflogMessages.Bind(20);

        Assert.Equal(request.Length, BinaryPrimitives.ReadInt32LittleEndian(request));
        Assert.Equal((4 << 8) | 1, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4))); // NFULNL_MSG_CONFIG
        Assert.Equal(20, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(18))); // res_id: the group
        Assert.Equal("0500010001000000", Convert.ToHexString(request.AsSpan(20, 8)).ToLowerInvariant()); // NFULA_CFG_CMD BIND
        Assert.Equal("0a0002000000004002000000", Convert.ToHexString(request.AsSpan(28, 12)).ToLowerInvariant()); // copy 64 bytes of each packet
        Assert.EndsWith("060006000001" + "0000", Convert.ToHexString(request).ToLowerInvariant()); // NFULA_CFG_FLAGS: sequence numbers
    }
}
