using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What one node's pod policy maps (<c>bpf/pod_policy.bpf.c</c>) hold, and the writes that take them to a new
/// <see cref="NodePolicyPlan"/>, the plan the nftables enforcer renders. Each chain, NetworkPolicy or
/// ClusterNetworkPolicy tier, is folded by the engine's <see cref="ChainFold"/> into disjoint boxes, each naming the
/// first rule that matches it; its peer addresses are cut into intervals of equal content, each an LPM entry per CIDR
/// prefix pointing at a <em>segment</em>, the interval's (protocol, port range) boxes, and at its rule without ports.
/// Only entries whose bytes changed are written. Pure: the kernel I/O applies <see cref="PodPolicyChange"/>
/// (src/Maille.Dataplane.Linux/Ebpf/NodePodPolicy.cs) and then calls <see cref="Commit"/>, or <see cref="Reset"/>
/// when the kernel refused, so that the next change is full.
/// </summary>
public sealed class PodPolicyState
{
    /// <summary>The maps written before pods point at them, in write order; deletes go the other way.</summary>
    private static readonly PodPolicyMap[] WriteOrder = [PodPolicyMap.Ports, PodPolicyMap.Peers, PodPolicyMap.Chains, PodPolicyMap.Nodes, PodPolicyMap.Pods];

    private PodPolicyMaps _maps = PodPolicyMaps.Empty;
    private bool _empty = true;

    /// <summary>What the maps hold as of the last committed change.</summary>
    public PodPolicyMaps Maps => _maps;

    /// <summary>The key of a chain's end counter (its denials).</summary>
    public static string DenyCounter(string chain) => "deny/" + chain;

    /// <summary>
    /// The maps' contents for <paramref name="plan"/>. Names <paramref name="before"/> held keep their numbers; new
    /// ones take numbers it did not use.
    /// </summary>
    public static PodPolicyMaps Render(NodePolicyPlan plan, PodPolicyMaps before)
    {
        var chains = new PodPolicyIds(before.Chains);
        var segments = new PodPolicyIds(before.Segments);
        var slots = new PodPolicyIds(before.Slots);
        var peerSets = plan.PeerSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var namedPortSets = plan.NamedPortSets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var entries = WriteOrder.ToDictionary(m => m, _ => new Dictionary<string, PodPolicyEntry>(StringComparer.Ordinal));
        var written = new HashSet<uint>();

        foreach (var chain in plan.Chains)
        {
            var id = chains.Of(chain.Name);
            Add(entries[PodPolicyMap.Chains], PodPolicyLayout.ChainKey(id), PodPolicyLayout.ChainValue(PodPolicyLayout.PolicyChain, 0, slots.Of(DenyCounter(chain.Name))));
            // Every rule of the chain has its counter, matching something or not (as nftables' named counters).
            foreach (var rule in chain.Rules)
            {
                slots.Of(rule.Rule.Key);
            }

            var folded = ChainFold.Fold(chain, peerSets, namedPortSets);
            WriteChain(id, folded, rule => (slots.Of(rule.Key), PodPolicyAction.Allow), segments, written, entries);
        }

        foreach (var tier in plan.TierChains)
        {
            var id = chains.Of(tier.Name);
            foreach (var rule in tier.Rules)
            {
                slots.Of(rule.Rule.Key);
            }

            Add(entries[PodPolicyMap.Chains], PodPolicyLayout.ChainKey(id), PodPolicyLayout.ChainValue(PodPolicyLayout.TierChain, tier.Next is { } next ? chains.Of(next) : 0, 0));
            // The fold names the first rule that matches a box, which is what decides in a tier (Accept, Deny or Pass);
            // a rule's index stands in for its id so that the box can be read back to the rule and its action.
            var asChain = new PolicyChain(tier.Name, tier.Direction, tier.Policies, new(tier.Rules.Select((rule, index) => new CompiledRule
            {
                Rule = new PolicyRuleId("", tier.Name, tier.Direction, index),
                PortIndex = rule.PortIndex,
                PeerSet = rule.PeerSet,
                Protocol = rule.Protocol,
                Ports = rule.Ports,
                NamedPortSet = rule.NamedPortSet,
            })));
            var folded = ChainFold.Fold(asChain, peerSets, namedPortSets);
            WriteChain(id, folded, rule => (slots.Of(tier.Rules[rule.Rule].Rule.Key), Action(tier.Rules[rule.Rule].Action)), segments, written, entries);
        }

        foreach (var pod in plan.Pods)
        {
            Add(entries[PodPolicyMap.Pods], PodPolicyLayout.PodKey(pod.Address), PodPolicyLayout.PodValue(
                pod.IngressChain is { } ingress ? chains.Of(ingress) : 0,
                pod.EgressChain is { } egress ? chains.Of(egress) : 0));
        }

        if (plan.NodeAddress is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork } node)
        {
            Add(entries[PodPolicyMap.Nodes], PodPolicyLayout.NodeKey(node), PodPolicyLayout.NodeValue());
        }

        return new PodPolicyMaps
        {
            Entries = entries.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, PodPolicyEntry>)e.Value),
            Chains = chains.Used,
            Segments = segments.Used,
            Slots = slots.Used,
        };
    }

    /// <summary>
    /// The writes from what the maps hold to <paramref name="plan"/>. <paramref name="full"/>, or a first change, writes
    /// every entry (the kernel side then deletes what it holds beyond them: <see cref="PodPolicyChange.Full"/>).
    /// Counters are written only to zero a slot newly given to a rule, so a rule keeps its count across syncs.
    /// </summary>
    public PodPolicyChange Prepare(NodePolicyPlan plan, bool full = false)
    {
        full |= _empty;
        var maps = Render(plan, _maps);
        var before = full ? PodPolicyMaps.Empty : _maps;
        var operations = new List<PodPolicyOperation>();
        foreach (var slot in maps.Slots.Where(s => !_maps.Slots.ContainsKey(s.Key) || _empty).Select(s => s.Value).Order())
        {
            operations.Add(new PodPolicyOperation(PodPolicyMap.Counters, PodPolicyLayout.CounterKey(slot), PodPolicyLayout.ZeroCounter()));
        }

        foreach (var map in WriteOrder)
        {
            var old = before.Of(map);
            foreach (var (hex, entry) in maps.Of(map).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!old.TryGetValue(hex, out var was) || !was.SameValue(entry))
                {
                    operations.Add(new PodPolicyOperation(map, entry.Key, entry.Value));
                }
            }
        }

        foreach (var map in WriteOrder.Reverse())
        {
            var now = maps.Of(map);
            operations.AddRange(before.Of(map).Where(e => !now.ContainsKey(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new PodPolicyOperation(map, e.Value.Key, null)));
        }

        return new PodPolicyChange { Full = full, Operations = operations, Maps = maps };
    }

    /// <summary>The kernel holds what <paramref name="change"/> wrote.</summary>
    public void Commit(PodPolicyChange change)
    {
        _maps = change.Maps;
        _empty = false;
    }

    /// <summary>The kernel refused a change: what the maps hold is unknown, so the next change is full (counters start again).</summary>
    public void Reset()
    {
        _maps = PodPolicyMaps.Empty;
        _empty = true;
    }

    private static PodPolicyAction Action(ClusterPolicyAction action) => action switch
    {
        ClusterPolicyAction.Accept => PodPolicyAction.Allow,
        ClusterPolicyAction.Deny => PodPolicyAction.Deny,
        _ => PodPolicyAction.Pass,
    };

    /// <summary>
    /// A folded chain's entries: its peer addresses cut where the set of boxes and ranges holding them changes; each
    /// interval an LPM entry per prefix, pointing at the segment of its boxes (written once per render) and at its
    /// rule without ports.
    /// </summary>
    private static void WriteChain(
        uint chain, FoldedChain folded, Func<PolicyRuleId, (uint Slot, PodPolicyAction Action)> decide, PodPolicyIds segments, HashSet<uint> written,
        Dictionary<PodPolicyMap, Dictionary<string, PodPolicyEntry>> entries)
    {
        var events = new List<(ulong Address, int Element, bool Opens)>();
        var elements = folded.PortBoxes.Concat(folded.PeerRanges).ToList();
        for (var i = 0; i < elements.Count; i++)
        {
            events.Add((elements[i].Peers.First, i, true));
            events.Add(((ulong)elements[i].Peers.Last + 1, i, false));
        }

        events.Sort((a, b) => a.Address.CompareTo(b.Address));
        var active = new SortedSet<int>();
        (ulong First, ulong Last, string Segment, uint AnySlot, PodPolicyAction? AnyAction, List<FoldedElement> Boxes)? open = null;
        for (var e = 0; e < events.Count;)
        {
            var address = events[e].Address;
            for (; e < events.Count && events[e].Address == address; e++)
            {
                if (events[e].Opens)
                {
                    active.Add(events[e].Element);
                }
                else
                {
                    active.Remove(events[e].Element);
                }
            }

            var last = e < events.Count ? events[e].Address - 1 : address - 1;
            if (e == events.Count || active.Count == 0)
            {
                if (open is { } ended)
                {
                    Flush(chain, ended, decide, segments, written, entries);
                    open = null;
                }

                continue;
            }

            var boxes = active.Where(i => i < folded.PortBoxes.Count).Select(i => elements[i]).OrderBy(b => b.FirstProtocol).ThenBy(b => b.Ports.First).ToList();
            var range = active.Where(i => i >= folded.PortBoxes.Count).Select(i => (FoldedElement?)elements[i]).FirstOrDefault();
            var segment = string.Join(',', boxes.Select(b => $"{b.FirstProtocol}:{b.Ports.First}-{b.Ports.Last}:{decide(b.Rule).Slot}:{decide(b.Rule).Action}"));
            var (anySlot, anyAction) = range is { } any ? decide(any.Rule) : (0u, (PodPolicyAction?)null);
            if (open is { } current && current.Last + 1 == address && current.Segment == segment && current.AnySlot == anySlot && current.AnyAction == anyAction)
            {
                open = current with { Last = last };
            }
            else
            {
                if (open is { } done)
                {
                    Flush(chain, done, decide, segments, written, entries);
                }

                open = (address, last, segment, anySlot, anyAction, boxes);
            }
        }

        if (open is { } rest)
        {
            Flush(chain, rest, decide, segments, written, entries);
        }
    }

    private static void Flush(
        uint chain, (ulong First, ulong Last, string Segment, uint AnySlot, PodPolicyAction? AnyAction, List<FoldedElement> Boxes) interval,
        Func<PolicyRuleId, (uint Slot, PodPolicyAction Action)> decide, PodPolicyIds segments, HashSet<uint> written,
        Dictionary<PodPolicyMap, Dictionary<string, PodPolicyEntry>> entries)
    {
        var segment = interval.Boxes.Count == 0 ? 0 : segments.Of(interval.Segment);
        if (segment != 0 && written.Add(segment))
        {
            foreach (var box in interval.Boxes)
            {
                var (slot, action) = decide(box.Rule);
                foreach (var prefix in PodPolicyLayout.Prefixes(box.Ports))
                {
                    Add(entries[PodPolicyMap.Ports], PodPolicyLayout.PortKey(segment, box.FirstProtocol, prefix), PodPolicyLayout.PortValue(slot, action));
                }
            }
        }

        foreach (var prefix in PodPolicyLayout.Prefixes(new AddressRange((uint)interval.First, (uint)interval.Last)))
        {
            Add(entries[PodPolicyMap.Peers], PodPolicyLayout.PeerKey(chain, prefix), PodPolicyLayout.PeerValue(segment, interval.AnySlot, interval.AnyAction));
        }
    }

    private static void Add(Dictionary<string, PodPolicyEntry> map, byte[] key, byte[] value) => map[Convert.ToHexString(key)] = new PodPolicyEntry(key, value);
}
