using Maille.Model;

namespace Maille.Dataplane.Nftables.Tests;

public sealed class NftElementLayoutTests
{
    [Theory]
    [InlineData("type ipv4_addr . inet_proto . inet_service : verdict", 12, 0, true)]
    [InlineData("typeof ip daddr . meta l4proto . th dport . numgen random mod 10 : ip daddr . th dport", 16, 8, false)]
    [InlineData("type ipv4_addr . ipv4_addr", 8, 0, false)]
    [InlineData("type ipv4_addr", 4, 0, false)]
    public void Known_declarations_give_the_kernels_register_padded_lengths(string declaration, int keyLength, int dataLength, bool verdict)
    {
        var layout = NftElementLayout.Of(new NftSet("s", declaration, EquatableArray<NftElement>.Empty));

        Assert.NotNull(layout);
        Assert.Equal(keyLength, layout.KeyLength);
        Assert.Equal(dataLength, layout.DataLength);
        Assert.Equal(verdict, layout.IsVerdictMap);
    }

    [Theory]
    [InlineData("type ipv4_addr . inet_proto . inet_service . ipv4_addr; flags interval")]
    [InlineData("type ipv4_addr; flags dynamic,timeout; timeout 60s")]
    [InlineData("type ether_addr")]
    public void Intervals_timeouts_and_unknown_types_stay_with_libnftables(string declaration) =>
        Assert.Null(NftElementLayout.Of(new NftSet("s", declaration, EquatableArray<NftElement>.Empty)));

    [Fact]
    public void Each_field_takes_a_32_bit_register_in_the_kernels_byte_order()
    {
        var layout = NftElementLayout.Of(new NftSet("m", "typeof ip daddr . meta l4proto . th dport . numgen random mod 10 : ip daddr . th dport", EquatableArray<NftElement>.Empty))!;
        var key = new byte[layout.KeyLength];

        NftElementLayout.Write(layout.Key, "198.18.128.10 . udp . 53 . 3", key);

        byte[] expected = [198, 18, 128, 10, 17, 0, 0, 0, 0, 53, 0, 0, .. BitConverter.GetBytes(3u)];
        Assert.Equal(expected, key);
    }

    [Theory]
    [InlineData("198.18.0.1 . tcp")]
    [InlineData("198.18.0.1 . tcp . 80 . 1")]
    [InlineData("fe80::1 . tcp . 80")]
    public void An_element_that_does_not_fit_its_layout_is_refused(string text)
    {
        var layout = NftElementLayout.Of(new NftSet("s", "type ipv4_addr . inet_proto . inet_service", EquatableArray<NftElement>.Empty))!;

        Assert.Throws<ArgumentException>(() => NftElementLayout.Write(layout.Key, text, new byte[layout.KeyLength]));
    }
}
