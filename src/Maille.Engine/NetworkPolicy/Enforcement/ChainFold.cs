using System.Collections.Immutable;
using System.Text;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Folds the compiled rules of a <see cref="PolicyChain"/>, which a packet would otherwise try one after the other,
/// into disjoint boxes of (peer address, IP protocol, destination port), each naming the first rule in chain order
/// that matches all of it. One lookup of a packet in the boxes (an nftables interval map) then decides the chain and
/// names the rule to count, however many rules the chain has.
/// </summary>
/// <remarks>
/// <para>
/// The boxes must not overlap: nftables refuses overlapping elements in a set of concatenated ranges, and where two
/// rules overlap only the first may count. So the peer addresses are cut at every boundary of a rule's peers; within
/// each address interval the rules whose peers hold it paint the (protocol, port) plane in chain order, each taking
/// only what the rules before it left. Equal pieces of adjacent address intervals are joined again, so a run of
/// addresses one rule decides alike stays one box. Cutting addresses first (rather than ports) keeps a rule without
/// ports one box per address range, whatever ports the other rules name.
/// </para>
/// <para>
/// Protocols no rule names (ICMP and the rest) are matched only by rules without ports, as NetworkPolicy has it; their
/// boxes cover every port value, since <c>th dport</c> reads two bytes of any transport header.
/// </para>
/// <para>
/// The boxes are a function of the chain and of its sets' members, so a relabelled pod changes boxes (elements of the
/// chain's map), never the chain itself. Pure and deterministic: boxes come sorted by address, protocol, port.
/// </para>
/// </remarks>
internal static class ChainFold
{
    public const int MaxPort = 65535;

    public static readonly PortRange AnyPort = new(0, MaxPort);

    private static readonly AddressRange Everywhere = new(0, uint.MaxValue);

    public static ImmutableArray<FoldedElement> Fold(PolicyChain chain, IReadOnlyDictionary<string, PeerSet> peerSets, IReadOnlyDictionary<string, NamedPortSet> namedPortSets)
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
        var open = new Dictionary<(int FirstProtocol, int LastProtocol, PortRange Ports, int Rule), AddressRange>();
        var paintings = new Dictionary<string, List<Piece>>(StringComparer.Ordinal);
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

            foreach (var piece in painting)
            {
                var box = (piece.FirstProtocol, piece.LastProtocol, piece.Ports, piece.Rule);
                if (open.TryGetValue(box, out var addresses))
                {
                    if ((ulong)addresses.Last + 1 == interval.First)
                    {
                        open[box] = addresses with { Last = interval.Last };
                        continue;
                    }

                    boxes.Add(new FoldedElement(addresses, piece.FirstProtocol, piece.LastProtocol, piece.Ports, chain.Rules[piece.Rule].Rule));
                }

                open[box] = interval;
            }
        }

        boxes.AddRange(open.Select(o => new FoldedElement(o.Value, o.Key.FirstProtocol, o.Key.LastProtocol, o.Key.Ports, chain.Rules[o.Key.Rule].Rule)));
        boxes.Sort((a, b) => (a.Peers.First, a.FirstProtocol, a.Ports.First).CompareTo((b.Peers.First, b.FirstProtocol, b.Ports.First)));
        return [.. boxes];
    }

    /// <summary>
    /// The (protocol, port) plane of one address interval painted by the shapes that hold it, in chain order: each
    /// takes the ports the shapes before it left. Protocols no active shape names go to the first shape without ports;
    /// adjacent protocols painted alike are joined.
    /// </summary>
    private static List<Piece> Paint(List<Shape> shapes, SortedSet<int> active)
    {
        var named = new SortedSet<int>();
        var anyProtocol = -1;
        foreach (var s in active)
        {
            if (shapes[s].Protocol is { } protocol)
            {
                named.Add(protocol);
            }
            else if (anyProtocol < 0)
            {
                anyProtocol = s;
            }
        }

        var rows = new List<(int First, int Last, List<(PortRange Ports, int Rule)> Ports)>();
        var others = anyProtocol < 0 ? [] : new List<(PortRange, int)> { (AnyPort, shapes[anyProtocol].Rule) };
        var next = 0;
        foreach (var protocol in named.Append(IpProtocols.Last + 1))
        {
            if (protocol > next)
            {
                rows.Add((next, protocol - 1, others));
            }

            if (protocol <= IpProtocols.Last)
            {
                rows.Add((protocol, protocol, PaintPorts(shapes, active, protocol)));
            }

            next = protocol + 1;
        }

        var pieces = new List<Piece>();
        var joined = new Dictionary<(PortRange Ports, int Rule), int>();
        foreach (var (first, last, ports) in rows)
        {
            foreach (var (range, rule) in ports)
            {
                // A piece equal to one of the row just before (protocols adjacent) extends it.
                if (joined.TryGetValue((range, rule), out var index) && pieces[index].LastProtocol + 1 == first)
                {
                    pieces[index] = pieces[index] with { LastProtocol = last };
                }
                else
                {
                    joined[(range, rule)] = pieces.Count;
                    pieces.Add(new Piece(first, last, range, rule));
                }
            }
        }

        return pieces;
    }

    /// <summary>The ports of one protocol painted by the active shapes that apply to it, in chain order.</summary>
    private static List<(PortRange Ports, int Rule)> PaintPorts(List<Shape> shapes, SortedSet<int> active, int protocol)
    {
        var painted = new List<(PortRange Ports, int Rule)>();
        var covered = new List<PortRange>();
        foreach (var s in active)
        {
            var shape = shapes[s];
            if (shape.Protocol is { } own && own != protocol)
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

    /// <summary>Protocols <see cref="FirstProtocol"/>–<see cref="LastProtocol"/>, <see cref="Ports"/>: the rule at index <see cref="Rule"/> of the chain.</summary>
    private readonly record struct Piece(int FirstProtocol, int LastProtocol, PortRange Ports, int Rule);

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
