using System.Buffers.Binary;
using System.Net;
using Maille.Engine.NetworkPolicies;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// Walks a connection's first packet through the pod policy maps as <c>bpf/pod_policy.bpf.c</c>'s <c>decide</c> and
/// <c>judge</c> do, with lookups into the maps the node holds now (<c>lookup</c>: the map, the key's bytes,
/// the value's size → the value, or null; LPM maps answer the longest prefix, as the kernel does), naming every entry
/// it reads. Numbers are named back through <see cref="PodPolicyMaps"/> (chain names, counter keys) of the last sync.
/// For <c>trace --lab</c> in the ebpf mode.
/// </summary>
public static class PodPolicyWalker
{
    /// <summary>Admin → NetworkPolicy → Baseline: the program walks at most three chains (<c>MAILLE_MAX_WALK</c>).</summary>
    private const int MaxWalk = 3;

    /// <param name="ingress">The pod's ingress (the packet goes to <paramref name="pod"/>), else its egress.</param>
    /// <param name="protocol">The IP protocol number (6 TCP, 17 UDP, 132 SCTP).</param>
    /// <param name="port">The destination port (TCP, UDP, SCTP); null for a protocol without ports.</param>
    public static PodPolicyWalk Walk(Func<PodPolicyMap, byte[], int, byte[]?> lookup, PodPolicyMaps names, bool ingress, IPAddress pod, IPAddress peer, int protocol, int? port)
    {
        var steps = new List<string>();
        var direction = ingress ? "ingress" : "egress";
        if (lookup(PodPolicyMap.Pods, PodPolicyLayout.PodKey(pod), PodPolicyLayout.PodValueSize) is not { } podValue)
        {
            steps.Add($"pods[{pod}]: none (not a pod of this node): not judged");
            return new PodPolicyWalk(true, steps, null);
        }

        var chain = Word(podValue, ingress ? 0 : 1);
        steps.Add($"pods[{pod}] → ingress chain {Word(podValue, 0)}, egress chain {Word(podValue, 1)}");
        if (lookup(PodPolicyMap.Nodes, PodPolicyLayout.NodeKey(peer), PodPolicyLayout.NodeValueSize) is not null || peer.Equals(pod))
        {
            steps.Add($"{peer} is {(peer.Equals(pod) ? "the pod itself" : "this node's own address (nodes map)")}: never judged");
            return new PodPolicyWalk(true, steps, null);
        }

        var chainNames = names.Chains.ToDictionary(c => c.Value, c => c.Key);
        var slotNames = names.Slots.ToDictionary(s => s.Value, s => s.Key);
        string Slot(uint slot) => slotNames.TryGetValue(slot, out var key) ? key : $"slot {slot}";
        string ChainName(uint id) => chainNames.TryGetValue(id, out var name) ? $"{id} ({name})" : id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        for (var walked = 0; walked < MaxWalk; walked++)
        {
            if (chain == 0)
            {
                steps.Add(walked == 0 ? $"{direction} chain 0: not isolated: allowed" : "next 0: allowed");
                return new PodPolicyWalk(true, steps, null);
            }

            if (lookup(PodPolicyMap.Chains, PodPolicyLayout.ChainKey(chain), PodPolicyLayout.ChainValueSize) is not { } chainValue)
            {
                steps.Add($"chains[{chain}]: missing (drift): denied");
                return new PodPolicyWalk(false, steps, $"chains[{chain}] missing");
            }

            var (kind, next, denySlot) = (Word(chainValue, 0), Word(chainValue, 1), Word(chainValue, 2));
            steps.Add($"chains[{ChainName(chain)}] → {(kind == PodPolicyLayout.TierChain ? $"tier chain, next {next}" : "NetworkPolicy chain")}, end counted in {Slot(denySlot)}");
            var (action, slot) = Lookup(lookup, chain, peer, protocol, port, steps, Slot);
            switch (action)
            {
                case PodPolicyAction.Allow:
                    steps.Add($"allowed by {Slot(slot)}");
                    return new PodPolicyWalk(true, steps, Slot(slot));
                case PodPolicyAction.Deny:
                    steps.Add($"denied by {Slot(slot)}");
                    return new PodPolicyWalk(false, steps, Slot(slot));
                case PodPolicyAction.Pass:
                    steps.Add($"passed on by {Slot(slot)}");
                    break;
            }

            if (kind == PodPolicyLayout.PolicyChain)
            {
                steps.Add($"no rule allows it: denied at the chain's end ({Slot(denySlot)})");
                return new PodPolicyWalk(false, steps, Slot(denySlot));
            }

            chain = next;
        }

        steps.Add(chain == 0 ? "next 0: allowed" : "more than three chains: denied");
        return new PodPolicyWalk(chain == 0, steps, null);
    }

    /// <summary>The rule of <paramref name="chain"/> that matches: the peer's interval, then its ports segment, then its rule without ports.</summary>
    private static (PodPolicyAction? Action, uint Slot) Lookup(Func<PodPolicyMap, byte[], int, byte[]?> lookup, uint chain, IPAddress peer, int protocol, int? port, List<string> steps, Func<uint, string> slotName)
    {
        var address = BinaryPrimitives.ReadUInt32BigEndian(peer.GetAddressBytes());
        if (lookup(PodPolicyMap.Peers, PodPolicyLayout.PeerKey(chain, new AddressPrefix(address, 32)), PodPolicyLayout.PeerValueSize) is not { } peerValue)
        {
            steps.Add($"peers[{chain}, {peer}]: no interval: no rule of the chain names this peer");
            return (null, 0);
        }

        var (segment, anySlot, anyAction) = (Word(peerValue, 0), Word(peerValue, 1), Word(peerValue, 2));
        steps.Add($"peers[{chain}, {peer}] → ports segment {segment}, {(anySlot == 0 ? "no rule without ports" : $"without ports {slotName(anySlot)} ({(PodPolicyAction)anyAction})")}");
        if (segment != 0 && port is { } destinationPort)
        {
            if (lookup(PodPolicyMap.Ports, PodPolicyLayout.PortKey(segment, protocol, new PortPrefix((ushort)destinationPort, 16)), PodPolicyLayout.PortValueSize) is { } portValue)
            {
                var (slot, action) = (Word(portValue, 0), (PodPolicyAction)Word(portValue, 1));
                steps.Add($"ports[{segment}, {IpProtocols.Name(protocol)}, {destinationPort}] → {slotName(slot)} ({action})");
                return (action, slot);
            }

            steps.Add($"ports[{segment}, {IpProtocols.Name(protocol)}, {destinationPort}]: no rule with ports matches");
        }

        return anySlot != 0 ? ((PodPolicyAction)anyAction, anySlot) : (null, 0);
    }

    private static uint Word(byte[] value, int index) => BitConverter.ToUInt32(value, index * 4);
}
