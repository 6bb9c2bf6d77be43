using System.Buffers.Binary;
using System.Net;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Ebpf.Tests;

/// <summary>
/// Reads rendered pod policy maps the way <c>bpf/pod_policy.bpf.c</c>'s <c>judge</c> does a first packet, from the bytes
/// only: the pod's chain, the peer's longest prefix in <c>peers</c>, the port's longest prefix in the segment's
/// <c>ports</c>, then the rule without ports; a NetworkPolicy chain's end denies, a tier chain's goes on. So the pure
/// tests can hold the rendering to <see cref="NodePolicyJudge"/> without a kernel.
/// </summary>
internal sealed class PodPolicyMapReader(PodPolicyMaps maps)
{
    private readonly Dictionary<uint, string> _slotNames = maps.Slots.ToDictionary(s => s.Value, s => s.Key);

    /// <summary>Whether the direction allows the packet, and the counter key the program counts (null: not isolated or allowed by default).</summary>
    public (bool Allowed, string? Counter) Decide(PolicyDirection direction, IPAddress local, IPAddress peer, int protocol, int port)
    {
        if (!maps.Of(PodPolicyMap.Pods).TryGetValue(Convert.ToHexString(local.GetAddressBytes()), out var pod))
        {
            throw new ArgumentException($"{local} is not in the pods map", nameof(local));
        }

        var chain = BitConverter.ToUInt32(pod.Value, direction == PolicyDirection.Ingress ? 0 : 4);
        string? counter = null;
        for (var walked = 0; walked < 3 && chain != 0; walked++)
        {
            var entry = maps.Of(PodPolicyMap.Chains)[Convert.ToHexString(BitConverter.GetBytes(chain))].Value;
            var (action, slot) = Lookup(chain, BinaryPrimitives.ReadUInt32BigEndian(peer.GetAddressBytes()), protocol, port);
            if (action is PodPolicyAction.Allow or PodPolicyAction.Deny)
            {
                return (action == PodPolicyAction.Allow, _slotNames[slot]);
            }

            counter = action == PodPolicyAction.Pass ? _slotNames[slot] : counter;
            if (BitConverter.ToUInt32(entry, 0) == PodPolicyLayout.PolicyChain)
            {
                return (false, _slotNames[BitConverter.ToUInt32(entry, 8)]);
            }

            chain = BitConverter.ToUInt32(entry, 4);
        }

        return (true, counter);
    }

    private (PodPolicyAction? Action, uint Slot) Lookup(uint chain, uint peer, int protocol, int port)
    {
        var interval = Longest(maps.Of(PodPolicyMap.Peers).Values, key => BitConverter.ToUInt32(key, 4) == chain,
            key => (int)BitConverter.ToUInt32(key, 0) - 32, key => BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(8, 4)), peer, 32);
        if (interval is null)
        {
            return (null, 0);
        }

        var segment = BitConverter.ToUInt32(interval, 0);
        if (segment != 0 && protocol is IpProtocols.Tcp or IpProtocols.Udp or IpProtocols.Sctp)
        {
            var found = Longest(maps.Of(PodPolicyMap.Ports).Values, key => BitConverter.ToUInt32(key, 4) == segment && key[8] == protocol,
                key => (int)BitConverter.ToUInt32(key, 0) - 40, key => BinaryPrimitives.ReadUInt16BigEndian(key.AsSpan(9, 2)), (uint)port, 16);
            if (found is not null)
            {
                return ((PodPolicyAction)BitConverter.ToUInt32(found, 4), BitConverter.ToUInt32(found, 0));
            }
        }

        var anySlot = BitConverter.ToUInt32(interval, 4);
        return anySlot == 0 ? (null, 0) : ((PodPolicyAction)BitConverter.ToUInt32(interval, 8), anySlot);
    }

    /// <summary>An LPM trie's lookup: the value of the longest prefix of <paramref name="bits"/> bits that holds <paramref name="value"/>.</summary>
    private static byte[]? Longest(IEnumerable<PodPolicyEntry> entries, Func<byte[], bool> inScope, Func<byte[], int> length, Func<byte[], uint> first, uint value, int bits)
    {
        byte[]? best = null;
        var bestLength = -1;
        foreach (var entry in entries.Where(e => inScope(e.Key)))
        {
            var prefix = length(entry.Key);
            var mask = prefix == 0 ? 0u : (uint)((ulong.MaxValue << (bits - prefix)) & ((1UL << bits) - 1));
            if ((value & mask) == first(entry.Key) && prefix > bestLength)
            {
                (best, bestLength) = (entry.Value, prefix);
            }
        }

        return best;
    }
}
