using System.Buffers.Binary;
using System.Net;
using Maille.Lab.Tests.Policy;

namespace Maille.Lab.Tests.Probing;

/// <summary>The SCTP INIT the policy probes send from raw sockets: its checksum and layout, and reading it back.</summary>
public sealed class SctpInitTests
{
    [Fact]
    public void Crc32C_GivesTheKnownAnswersOfRfc3720()
    {
        // RFC 3720 appendix B.4: 32 bytes of zeros, 32 bytes of 0xff, 32 ascending bytes.
        Assert.Equal(0x8a9136aau, SctpInit.Crc32C(new byte[32]));
        Assert.Equal(0x62a8ab43u, SctpInit.Crc32C(Enumerable.Repeat((byte)0xff, 32).ToArray()));
        Assert.Equal(0x46dd794eu, SctpInit.Crc32C(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Packet_IsAnInitChunkWithItsPortsAZeroTagAndAChecksumOverTheRest()
    {
        var packet = SctpInit.Packet(40001, 9003, 0x01020304);

        Assert.Equal(32, packet.Length);
        Assert.Equal(40001, BinaryPrimitives.ReadUInt16BigEndian(packet));
        Assert.Equal(9003, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));        // an INIT's verification tag
        Assert.Equal(1, packet[12]);                                                    // chunk type INIT
        Assert.Equal(20, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(14)));      // chunk length
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(16))); // initiate tag
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(8));
        var zeroed = packet.ToArray();
        zeroed.AsSpan(8, 4).Clear();
        Assert.Equal(SctpInit.Crc32C(zeroed), stored);
    }

    [Fact]
    public void TryRead_FindsTheSenderAndPortsBehindAnIpHeader_AndRefusesOtherProtocols()
    {
        var ip = new byte[20];
        ip[0] = 0x45;                                   // IPv4, 20-byte header
        ip[9] = SctpInit.Protocol;
        IPAddress.Parse("198.19.1.2").TryWriteBytes(ip.AsSpan(12), out _);
        var datagram = ip.Concat(SctpInit.Packet(40001, 9003, 7)).ToArray();

        Assert.True(SctpInit.TryRead(datagram, out var source, out var sourcePort, out var destinationPort));
        Assert.Equal((IPAddress.Parse("198.19.1.2"), 40001, 9003), (source, sourcePort, destinationPort));

        Assert.False(SctpInit.TryRead(datagram.AsSpan(0, 24), out _, out _, out _)); // cut inside the SCTP header
        datagram[9] = 17;                               // UDP
        Assert.False(SctpInit.TryRead(datagram, out _, out _, out _));
    }
}
