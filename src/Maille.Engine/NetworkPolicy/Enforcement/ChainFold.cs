using System.Collections.Immutable;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Folds the compiled rules of a <see cref="PolicyChain"/>, which a packet would otherwise try one after the other,
/// into two lookups whatever the number of rules (<see cref="FoldedChain"/>): disjoint (peer address, protocol, port)
/// boxes for the rules with ports, tried first, then disjoint peer address ranges for the rules without ports. Each
/// box and range names the first rule in chain order that matches all of it, so the lookups decide the chain and name
/// the rule to count.
/// </summary>
/// <remarks>
/// <para>
/// Boxes must not overlap: nftables refuses overlapping elements in a set of concatenated ranges, and where two rules
/// overlap only the first may count. So the peer addresses are cut at every edge of a rule's peers. Within each
/// address interval, the first rule without ports that holds it (if any) takes every protocol and port there: it is
/// that interval's range in <see cref="FoldedChain.PeerRanges"/>. The rules with ports before it (all of them when
/// there is none) paint the ports of their protocols in chain order, each taking what the rules before it left: the
/// interval's boxes in <see cref="FoldedChain.PortBoxes"/>. A packet is allowed by a box if one holds it, and otherwise
/// by the range holding its peer: the box's rule comes before the range's rule, and no rule before the range's rule
/// matches a packet no box holds. Equal pieces of adjacent address intervals are joined again.
/// </para>
/// <para>
/// Rules without ports match every protocol (ICMP and the rest, as NetworkPolicy has it) and packets too short to hold
/// a port, since their ranges are looked up by address alone.
/// </para>
/// <para>
/// The result is a function of the chain and of its sets' members, so a relabelled pod changes elements of the
/// chain's maps, never the chain itself. Pure and deterministic: sorted by address, protocol, port.
/// </para>
/// </remarks>
public static class ChainFold
{
    public const int MaxPort = 65535;

    public static readonly PortRange AnyPort = new(0, MaxPort);

    private static readonly AddressRange Everywhere = new(0, uint.MaxValue);

    public static FoldedChain Fold(PolicyChain chain, IReadOnlyDictionary<string, PeerSet> peerSets, IReadOnlyDictionary<string, NamedPortSet> namedPortSets)
    {
        var shapes = new List<Shape>();
        for (var rule = 0; rule < chain.Rules.Count; rule++)
        {
            Shape.Add(shapes, rule, chain.Rules[rule], peerSets, namedPortSets);
        }

        // Where a shape's peers begin (+1) and end (-1): the sweep below keeps the shapes that hold each address.
        var events = new List<(ulong Address, int Shape, int Change)>();
        for (var s = 0; s < shapes.Count; s++)
        {
            foreach (var range in shapes[s].Peers)
            {
                events.Add((range.First, s, 1));
                events.Add(((ulong)range.Last + 1, s, -1));
            }
        }

        events.Sort((a, b) => a.Address.CompareTo(b.Address));
        var boxes = new List<FoldedElement>();
        var ranges = new List<FoldedElement>();
        var openBoxes = new Dictionary<(int Protocol, PortRange Ports, int Rule), AddressRange>();
        var openRanges = new Dictionary<int, AddressRange>();
        var paintings = new Dictionary<string, (List<Piece> Pieces, int AnyPort)>(StringComparer.Ordinal);
        var active = new SortedSet<int>();
        var signature = new StringBuilder();
        for (var e = 0; e < events.Count;)
        {
            var address = events[e].Address;
            for (; e < events.Count && events[e].Address == address; e++)
            {
                if (events[e].Change > 0)
                {
                    active.Add(events[e].Shape);
                }
                else
                {
                    active.Remove(events[e].Shape);
                }
            }

            if (e == events.Count || active.Count == 0)
            {
                continue;
            }

            var interval = new AddressRange((uint)address, (uint)(events[e].Address - 1));
            signature.Clear();
            signature.AppendJoin(',', active);
            var key = signature.ToString();
            if (!paintings.TryGetValue(key, out var painting))
            {
                painting = Paint(shapes, active);
                paintings.Add(key, painting);
            }

            foreach (var piece in painting.Pieces)
            {
                Extend(openBoxes, (piece.Protocol, piece.Ports, piece.Rule), interval,
                    done => boxes.Add(new FoldedElement(done, piece.Protocol, piece.Protocol, piece.Ports, chain.Rules[piece.Rule].Rule)));
            }

            if (painting.AnyPort >= 0)
            {
                Extend(openRanges, painting.AnyPort, interval, done => ranges.Add(AnyPortElement(done, chain.Rules[painting.AnyPort].Rule)));
            }
        }

        boxes.AddRange(openBoxes.Select(o => new FoldedElement(o.Value, o.Key.Protocol, o.Key.Protocol, o.Key.Ports, chain.Rules[o.Key.Rule].Rule)));
        ranges.AddRange(openRanges.Select(o => AnyPortElement(o.Value, chain.Rules[o.Key].Rule)));
        boxes.Sort((a, b) => (a.Peers.First, a.FirstProtocol, a.Ports.First).CompareTo((b.Peers.First, b.FirstProtocol, b.Ports.First)));
        ranges.Sort((a, b) => a.Peers.First.CompareTo(b.Peers.First));
        return new FoldedChain(new(boxes), new(ranges));
    }

    private static FoldedElement AnyPortElement(AddressRange peers, PolicyRuleId rule) => new(peers, 0, IpProtocols.Last, AnyPort, rule);

    /// <summary>
    /// Grows the open piece <paramref name="key"/> by <paramref name="interval"/> when it ends just before it; otherwise
    /// closes it (<paramref name="close"/>) and opens it again at the interval.
    /// </summary>
    private static void Extend<TKey>(Dictionary<TKey, AddressRange> open, TKey key, AddressRange interval, Action<AddressRange> close)
        where TKey : notnull
    {
        if (open.TryGetValue(key, out var addresses))
        {
            if ((ulong)addresses.Last + 1 == interval.First)
            {
                open[key] = addresses with { Last = interval.Last };
                return;
            }

            close(addresses);
        }

        open[key] = interval;
    }

    /// <summary>
    /// One address interval: the first shape without ports that holds it (-1 when none), and the ports of each
    /// protocol painted by the shapes with ports before it, in chain order: each takes the ports those before it left.
    /// </summary>
    private static (List<Piece> Pieces, int AnyPort) Paint(List<Shape> shapes, SortedSet<int> active)
    {
        var before = new List<Shape>();
        var anyPort = -1;
        foreach (var s in active)
        {
            if (shapes[s].Protocol is null)
            {
                anyPort = shapes[s].Rule;
                break;
            }

            before.Add(shapes[s]);
        }

        var pieces = new List<Piece>();
        foreach (var protocol in before.Select(s => s.Protocol!.Value).Distinct().Order())
        {
            pieces.AddRange(PaintPorts(before, protocol).Select(p => new Piece(protocol, p.Ports, p.Rule)));
        }

        return (pieces, anyPort);
    }

    /// <summary>The ports of one protocol painted by the shapes (with ports, in chain order) that apply to it.</summary>
    private static List<(PortRange Ports, int Rule)> PaintPorts(List<Shape> shapes, int protocol)
    {
        var painted = new List<(PortRange Ports, int Rule)>();
        var covered = new List<PortRange>();
        foreach (var shape in shapes)
        {
            if (shape.Protocol != protocol)
            {
                continue;
            }

            var wanted = shape.Ports ?? AnyPort;
            var next = wanted.First;
            var at = 0;
            while (at < covered.Count && covered[at].Last < wanted.First)
            {
                at++;
            }

            for (var k = at; k < covered.Count && covered[k].First <= wanted.Last && next <= wanted.Last; k++)
            {
                if (covered[k].First > next)
                {
                    painted.Add((new PortRange(next, covered[k].First - 1), shape.Rule));
                }

                next = Math.Max(next, covered[k].Last + 1);
            }

            if (next <= wanted.Last)
            {
                painted.Add((new PortRange(next, wanted.Last), shape.Rule));
            }

            covered.Add(wanted);
            covered = Join(covered);
            if (covered.Count == 1 && covered[0] == AnyPort)
            {
                break;
            }
        }

        painted.Sort((a, b) => a.Ports.First.CompareTo(b.Ports.First));
        return painted;
    }

    private static List<PortRange> Join(List<PortRange> ranges)
    {
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var joined = new List<PortRange>(ranges.Count);
        foreach (var range in ranges)
        {
            if (joined.Count > 0 && joined[^1].Last + 1 >= range.First)
            {
                joined[^1] = joined[^1] with { Last = Math.Max(joined[^1].Last, range.Last) };
            }
            else
            {
                joined.Add(range);
            }
        }

        return joined;
    }

    /// <summary><see cref="Protocol"/> on <see cref="Ports"/>: the rule at index <see cref="Rule"/> of the chain.</summary>
    private readonly record struct Piece(int Protocol, PortRange Ports, int Rule);

    /// <summary>
    /// A compiled rule, or one destination port of an egress named port, as a region: peer addresses × a protocol
    /// (null: every protocol and port) × a port range of it (null: every port). Shapes keep chain order.
    /// </summary>
    private sealed record Shape(int Rule, ImmutableArray<AddressRange> Peers, int? Protocol, PortRange? Ports)
    {
        public static void Add(List<Shape> shapes, int index, CompiledRule rule, IReadOnlyDictionary<string, PeerSet> peerSets, IReadOnlyDictionary<string, NamedPortSet> namedPortSets)
        {
            var peers = rule.PeerSet is { } name ? peerSets[name].Members.AsImmutableArray() : [Everywhere];
            if (rule.NamedPortSet is { } set)
            {
                // An egress named port: one shape per (protocol, port) declared, over the peers that declare it so.
                foreach (var port in namedPortSets[set].Members.Where(m => peers.Any(p => p.Contains(m.Address))).GroupBy(m => (m.Protocol, m.Port)).OrderBy(g => g.Key))
                {
                    shapes.Add(new Shape(index, AddressRanges.Normalize(port.Select(m => AddressRanges.Single(m.Address))), IpProtocols.Number(port.Key.Protocol), new PortRange(port.Key.Port, port.Key.Port)));
                }

                return;
            }

            if (rule.Protocol is null && rule.Ports is not null)
            {
                throw new ArgumentException($"{rule.Description}: a port range without a protocol", nameof(rule));
            }

            shapes.Add(new Shape(index, peers, rule.Protocol is { } protocol ? IpProtocols.Number(protocol) : null, rule.Ports));
        }
    }
}
