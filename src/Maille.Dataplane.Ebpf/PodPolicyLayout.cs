using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The bytes of <c>bpf/pod_policy.h</c>'s keys and values, and the prefixes an address or port range becomes in an LPM
/// trie. Addresses and ports are in network byte order (as the packet holds them); ids, slots and prefix lengths in the
/// machine's order, as the C program reads them.
/// </summary>
public static class PodPolicyLayout
{
    public const int PodKeySize = 4;
    public const int PodValueSize = 8;
    public const int NodeKeySize = 4;
    public const int NodeValueSize = 4;
    public const int ChainKeySize = 4;
    public const int ChainValueSize = 16;
    public const int PeerKeySize = 12;
    public const int PeerValueSize = 16;
    public const int PortKeySize = 12;
    public const int PortValueSize = 8;
    public const int CounterKeySize = 4;
    public const int CounterValueSize = 16;
    public const int FlowKeySize = 16;

    /// <summary><c>MAILLE_CHAIN_POLICY</c>: a NetworkPolicy chain, which denies what no rule allows.</summary>
    public const uint PolicyChain = 1;

    /// <summary><c>MAILLE_CHAIN_TIER</c>: a ClusterNetworkPolicy tier chain, which passes what no rule decides.</summary>
    public const uint TierChain = 2;

    public static byte[] PodKey(IPAddress address) => Address(address);

    public static byte[] PodValue(uint ingressChain, uint egressChain) => Words(ingressChain, egressChain);

    public static byte[] NodeKey(IPAddress address) => Address(address);

    public static byte[] NodeValue() => Words(1);

    public static byte[] ChainKey(uint chain) => Words(chain);

    public static byte[] ChainValue(uint kind, uint next, uint denySlot) => Words(kind, next, denySlot, 0);

    /// <summary>The LPM key of <paramref name="chain"/>'s peers under <paramref name="prefix"/>: 32 bits of chain, then the prefix's bits.</summary>
    public static byte[] PeerKey(uint chain, AddressPrefix prefix)
    {
        var key = Words((uint)(32 + prefix.Length), chain, 0);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(8, 4), prefix.Address);
        return key;
    }

    public static byte[] PeerValue(uint segment, uint anySlot, PodPolicyAction? anyAction) => Words(segment, anySlot, (uint?)anyAction ?? 0, 0);

    /// <summary>The LPM key of a segment's ports: 32 bits of segment, 8 of protocol, then the port prefix's bits.</summary>
    public static byte[] PortKey(uint segment, int protocol, PortPrefix prefix)
    {
        var key = Words((uint)(40 + prefix.Length), segment, 0);
        key[8] = checked((byte)protocol);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(9, 2), prefix.Port);
        return key;
    }

    public static byte[] PortValue(uint slot, PodPolicyAction action) => Words(slot, (uint)action);

    public static byte[] CounterKey(uint slot) => Words(slot);

    /// <summary>A counter at zero: packets and bytes.</summary>
    public static byte[] ZeroCounter() => new byte[CounterValueSize];

    /// <summary>Reads a counter's packets and bytes.</summary>
    public static (ulong Packets, ulong Bytes) Counter(ReadOnlySpan<byte> value) =>
        (BitConverter.ToUInt64(value[..8]), BitConverter.ToUInt64(value.Slice(8, 8)));

    /// <summary>The fewest CIDR prefixes that cover exactly <paramref name="range"/>, in address order.</summary>
    public static IEnumerable<AddressPrefix> Prefixes(AddressRange range) =>
        Blocks(range.First, range.Last, 32).Select(b => new AddressPrefix((uint)b.First, b.Length));

    /// <summary>The fewest port prefixes (of 16 bits) that cover exactly <paramref name="range"/>, in port order.</summary>
    public static IEnumerable<PortPrefix> Prefixes(PortRange range) =>
        Blocks((ulong)range.First, (ulong)range.Last, 16).Select(b => new PortPrefix((ushort)b.First, b.Length));

    /// <summary>Aligned blocks of <paramref name="bits"/>-bit numbers covering first..last, each as (first, fixed bits), largest first where aligned.</summary>
    private static IEnumerable<(ulong First, int Length)> Blocks(ulong first, ulong last, int bits)
    {
        while (first <= last)
        {
            var length = bits;
            // Grow the block while it stays aligned on `first` and within the range.
            while (length > 0)
            {
                var size = 1UL << (bits + 1 - length);
                if ((first & (size - 1)) != 0 || first + size - 1 > last)
                {
                    break;
                }

                length--;
            }

            yield return (first, length);
            first += 1UL << (bits - length);
        }
    }

    private static byte[] Address(IPAddress address)
    {
        var bytes = new byte[4];
        if (address.AddressFamily != AddressFamily.InterNetwork || !address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException($"{address} is not an IPv4 address", nameof(address));
        }

        return bytes;
    }

    private static byte[] Words(params ReadOnlySpan<uint> words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 4, 4), words[i]);
        }

        return bytes;
    }
}
