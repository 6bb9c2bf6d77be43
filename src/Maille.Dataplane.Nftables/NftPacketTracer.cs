using System.Net;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Follows a connection's first packet through a rendered <see cref="NftRuleset"/> without a kernel: the nat chains of
/// the hook the packet meets first (prerouting, or output for the node's own traffic) in priority order, then, for each
/// possible translation, the postrouting chains. It evaluates the rule model itself (<see cref="NftMatch"/> and
/// <see cref="NftStatement"/> records), so what it walks is exactly what is applied. Random choices
/// (<c>numgen</c>) are followed down every branch; dynamic affinity sets are taken as empty (a first connection).
/// </summary>
public sealed class NftPacketTracer(NftRuleset ruleset)
{
    private const int MaxDepth = 32;

    private readonly Dictionary<string, NftChain> _chains = ruleset.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, NftSet> _sets = ruleset.Sets.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public NftTraceResult Trace(NftTracePacket packet)
    {
        var steps = new List<NftTraceStep>();
        var hook = packet.Ingress == NftIngress.NodeLocal ? "output" : "prerouting";
        var state = new PacketState(packet, Mark: 0, Translated: false);
        var outcome = Outcome.Continue(state);
        foreach (var chain in BaseChains(hook))
        {
            outcome = Run(chain, state, steps, 0);
            if (outcome.Kind != OutcomeKind.Continue)
            {
                break;
            }

            state = outcome.State;
        }

        switch (outcome.Kind)
        {
            case OutcomeKind.Drop:
                return new NftTraceResult(NftTraceVerdict.Dropped, EquatableArray<NftTraceTarget>.Empty, new(steps), outcome.Decision);
            case OutcomeKind.Reject:
                return new NftTraceResult(NftTraceVerdict.Rejected, EquatableArray<NftTraceTarget>.Empty, new(steps), outcome.Decision);
            case OutcomeKind.Translated:
                var targets = outcome.Targets.Select(t => new NftTraceTarget(t.Address, t.Port, Masquerades(state with
                {
                    Packet = packet with { Destination = t.Address, DestinationPort = t.Port },
                    Mark = t.Mark,
                    Translated = true,
                }, steps))).ToList();
                return new NftTraceResult(NftTraceVerdict.Translated, new(targets), new(steps), outcome.Decision);
            default:
                var masquerade = Masquerades(state, steps);
                return new NftTraceResult(NftTraceVerdict.NotTranslated,
                    masquerade ? new[] { new NftTraceTarget(packet.Destination, packet.DestinationPort, true) } : EquatableArray<NftTraceTarget>.Empty,
                    new(steps), null);
        }
    }

    /// <summary>
    /// Follows a packet through the filter chains of <paramref name="hook"/> (for example <c>forward</c>, where
    /// NetworkPolicy is enforced after DNAT), in priority order: the verdict is drop or reject when a chain ends it
    /// there, otherwise the packet passes (<see cref="NftTraceVerdict.NotTranslated"/>). Steps list every matching
    /// rule, the chains jumped to included.
    /// </summary>
    public NftTraceResult TraceFilter(string hook, NftTracePacket packet)
    {
        var steps = new List<NftTraceStep>();
        var state = new PacketState(packet, Mark: 0, Translated: false);
        foreach (var chain in BaseChains(hook, "filter"))
        {
            var outcome = Run(chain, state, steps, 0);
            switch (outcome.Kind)
            {
                case OutcomeKind.Drop:
                    return new NftTraceResult(NftTraceVerdict.Dropped, EquatableArray<NftTraceTarget>.Empty, new(steps), outcome.Decision);
                case OutcomeKind.Reject:
                    return new NftTraceResult(NftTraceVerdict.Rejected, EquatableArray<NftTraceTarget>.Empty, new(steps), outcome.Decision);
            }

            state = outcome.State;
        }

        return new NftTraceResult(NftTraceVerdict.NotTranslated, EquatableArray<NftTraceTarget>.Empty, new(steps), null);
    }

    private IEnumerable<NftChain> BaseChains(string hook, string type = "nat") =>
        ruleset.Chains.Where(c => c.Hook is { } h && h.Type == type && h.Hook == hook).OrderBy(c => c.Hook!.Priority);

    private bool Masquerades(PacketState state, List<NftTraceStep> steps)
    {
        foreach (var chain in BaseChains("postrouting"))
        {
            var outcome = Run(chain, state, steps, 0);
            if (outcome.Kind == OutcomeKind.Masquerade)
            {
                return true;
            }

            state = outcome.State;
        }

        return false;
    }

    private Outcome Run(NftChain chain, PacketState state, List<NftTraceStep> steps, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"chain {chain.Name}: jumps nest deeper than {MaxDepth}");
        }

        for (var index = 0; index < chain.Rules.Count; index++)
        {
            var rule = chain.Rules[index];
            if (!rule.Matches.All(m => Holds(m, state)))
            {
                continue;
            }

            var step = new NftTraceStep(chain.Name, index + 1, rule.Text, Counter: rule.Statements.OfType<NftCounterStatement>().FirstOrDefault(c => c.Name is not null)?.Name);
            var ruleRecorded = false;
            foreach (var statement in rule.Statements)
            {
                var outcome = Execute(statement, state, steps, depth, ref step, ref ruleRecorded);
                if (outcome is null)
                {
                    break; // a map lookup without an entry: the rest of the rule does not run
                }

                if (outcome.Kind == OutcomeKind.Return)
                {
                    return Outcome.Continue(outcome.State);
                }

                if (outcome.Kind != OutcomeKind.Continue)
                {
                    return outcome;
                }

                state = outcome.State;
            }
        }

        return Outcome.Continue(state);
    }

    /// <summary>Runs one statement; null when a lookup misses (the rule stops there, as nftables' NFT_BREAK).</summary>
    private Outcome? Execute(NftStatement statement, PacketState state, List<NftTraceStep> steps, int depth, ref NftTraceStep step, ref bool recorded)
    {
        NftVerdict? verdict = null;
        switch (statement)
        {
            case NftVerdictStatement v:
                verdict = v.Verdict;
                break;
            case NftVerdictMapStatement vmap:
                verdict = Lookup(vmap.Map, vmap.Key, Key(vmap.Key, state.Packet))?.Verdict;
                if (verdict is null)
                {
                    return null;
                }

                break;
            case NftRejectStatement:
                Record(steps, step, ref recorded);
                return Outcome.Final(OutcomeKind.Reject, state, step);
            case NftDnatMapStatement dnat:
                var key = Key(dnat.Key, state.Packet);
                var found = Enumerable.Range(0, dnat.Modulus)
                    .Select(i => Lookup(dnat.Map, dnat.Key, [.. key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    .OfType<NftElement>()
                    .Select(e => new Candidate(IPAddress.Parse(e.DataParts[0]), int.Parse(e.DataParts[1], System.Globalization.CultureInfo.InvariantCulture), state.Mark))
                    .ToList();
                if (found.Count == 0)
                {
                    return null;
                }

                Record(steps, step, ref recorded);
                return Outcome.Translate(found, state, step);
            case NftDnatStatement fixedDnat:
                Record(steps, step, ref recorded);
                return Outcome.Translate([new Candidate(fixedDnat.Address, fixedDnat.Port, state.Mark)], state, step);
            case NftMarkStatement mark:
                Record(steps, step, ref recorded);
                return Outcome.Continue(state with { Mark = mark.Set ? state.Mark | mark.Bit : state.Mark ^ mark.Bit });
            case NftMasqueradeStatement:
                Record(steps, step, ref recorded);
                return Outcome.Final(OutcomeKind.Masquerade, state, step);
            case NftSetUpdateStatement:
            case NftLogStatement:
                return Outcome.Continue(state);
            case NftCounterStatement:
                Record(steps, step, ref recorded);
                return Outcome.Continue(state);
            case NftCounterMapStatement counterMap:
                if (Lookup(counterMap.Map, counterMap.Key, Key(counterMap.Key, state.Packet)) is not { } counted)
                {
                    return null;
                }

                step = step with { Element = counted.Text, Counter = counted.Data?.Trim('"') };
                Record(steps, step, ref recorded);
                return Outcome.Continue(state);
            case NftNumgenVmapStatement numgen:
                Record(steps, step, ref recorded);
                var branches = numgen.Targets.Select(t => Follow(t, state, steps, depth)).ToList();
                var translated = branches.Where(b => b.Kind == OutcomeKind.Translated).ToList();
                return translated.Count > 0
                    ? Outcome.Translate([.. translated.SelectMany(b => b.Targets)], state, translated[0].Decision ?? step)
                    : branches[0];
            default:
                throw new NotSupportedException($"the tracer does not know {statement.GetType().Name}");
        }

        Record(steps, step, ref recorded);
        return Follow(verdict, state, steps, depth, step);
    }

    private Outcome Follow(NftVerdict verdict, PacketState state, List<NftTraceStep> steps, int depth, NftTraceStep? step = null) => verdict.Kind switch
    {
        NftVerdictKind.Drop => Outcome.Final(OutcomeKind.Drop, state, step),
        NftVerdictKind.Accept => Outcome.Final(OutcomeKind.Accept, state, step),
        NftVerdictKind.Return => new Outcome(OutcomeKind.Return, state, [], step),

        // After a jump the calling chain goes on; after a goto it ends where the target ends.
        NftVerdictKind.Jump => Run(_chains[verdict.Chain!], state, steps, depth + 1),
        _ => GotoResult(Run(_chains[verdict.Chain!], state, steps, depth + 1)),
    };

    private static Outcome GotoResult(Outcome outcome) =>
        outcome.Kind == OutcomeKind.Continue ? outcome with { Kind = OutcomeKind.Return } : outcome;

    private static void Record(List<NftTraceStep> steps, NftTraceStep step, ref bool recorded)
    {
        if (!recorded)
        {
            steps.Add(step);
            recorded = true;
        }
    }

    private bool Holds(NftMatch match, PacketState state) => match switch
    {
        NftValueMatch value => Compare(value, state) != value.Negated,
        NftSetMatch set => (Lookup(set.Set, set.Key, Key(set.Key, state.Packet)) is not null) != set.Negated,
        NftMarkMatch mark => ((state.Mark & mark.Mask) != 0) == mark.IsSet,
        _ => throw new NotSupportedException($"the tracer does not know {match.GetType().Name}"),
    };

    private static bool Compare(NftValueMatch match, PacketState state) => match.Field switch
    {
        NftField.SourceAddress => AddressMatches(match.Value, state.Packet.Source),
        NftField.DestinationAddress => AddressMatches(match.Value, state.Packet.Destination),
        NftField.SourceAddressType => match.Value == "local" && state.Packet.Ingress == NftIngress.NodeLocal,
        NftField.ConntrackStatus => match.Value == "dnat" && state.Translated,
        NftField.ConntrackState => match.Value.Split(',').Contains(state.Packet.ConntrackState),
        NftField.DestinationPort when match.Value.Contains('-', StringComparison.Ordinal) => PartMatches(match.Field, match.Value, Field(match.Field, state.Packet)),
        _ => Field(match.Field, state.Packet) == match.Value,
    };

    private static bool AddressMatches(string value, IPAddress address) =>
        value.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(value).Contains(address) : IPAddress.Parse(value).Equals(address);

    private static string[] Key(EquatableArray<NftField> fields, NftTracePacket packet) => [.. fields.Select(f => Field(f, packet))];

    private static string Field(NftField field, NftTracePacket packet) => field switch
    {
        NftField.SourceAddress => packet.Source.ToString(),
        NftField.DestinationAddress => packet.Destination.ToString(),
        NftField.Protocol => packet.Protocol,
        NftField.DestinationPort => packet.DestinationPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"{field} is not a key field"),
    };

    /// <summary>
    /// The element whose key matches; key parts holding a '/' are networks and parts holding a '-' ranges (interval
    /// sets). <paramref name="fields"/> name the key's parts (a key may end with parts no field names, as numgen's).
    /// </summary>
    private NftElement? Lookup(string set, EquatableArray<NftField> fields, string[] key) =>
        _sets.TryGetValue(set, out var found)
            ? found.Elements.FirstOrDefault(e => e.KeyParts is var parts && parts.Length == key.Length
                && parts.Select((part, i) => PartMatches(i < fields.Count ? fields[i] : null, part, key[i])).All(m => m))
            : throw new InvalidOperationException($"no set {set}");

    /// <summary>
    /// A key part against a packet's value: equal, a network holding the address, or an inclusive range
    /// (<c>198.19.3.3-198.19.255.255</c>, <c>32000-32768</c>) holding the address or number. Protocols compare by
    /// number, so that <c>icmp</c> falls in <c>0-5</c>.
    /// </summary>
    private static bool PartMatches(NftField? field, string part, string value)
    {
        if (part == value)
        {
            return true;
        }

        if (field == NftField.Protocol)
        {
            return ProtocolMatches(part, value);
        }

        if (part.Contains('/', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(value, out var address) && IPNetwork.Parse(part).Contains(address);
        }

        var dash = part.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        if (IPAddress.TryParse(value, out var ip) && IPAddress.TryParse(part.AsSpan(0, dash), out var first) && IPAddress.TryParse(part.AsSpan(dash + 1), out var last))
        {
            var number = IpMath.ToUInt32(ip);
            return IpMath.ToUInt32(first) <= number && number <= IpMath.ToUInt32(last);
        }

        return int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && int.TryParse(part.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture, out var low)
            && int.TryParse(part.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out var high)
            && low <= port && port <= high;
    }

    private static bool ProtocolMatches(string part, string value)
    {
        if (Maille.Engine.NetworkPolicies.IpProtocols.Parse(value) is not { } number)
        {
            return false;
        }

        var dash = part.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? Maille.Engine.NetworkPolicies.IpProtocols.Parse(part) == number
            : Maille.Engine.NetworkPolicies.IpProtocols.Parse(part[..dash]) <= number && number <= Maille.Engine.NetworkPolicies.IpProtocols.Parse(part[(dash + 1)..]);
    }

    private enum OutcomeKind
    {
        Continue,
        Return,
        Accept,
        Drop,
        Reject,
        Translated,
        Masquerade,
    }

    private sealed record PacketState(NftTracePacket Packet, uint Mark, bool Translated);

    private sealed record Candidate(IPAddress Address, int Port, uint Mark);

    private sealed record Outcome(OutcomeKind Kind, PacketState State, IReadOnlyList<Candidate> Targets, NftTraceStep? Decision)
    {
        public static Outcome Continue(PacketState state) => new(OutcomeKind.Continue, state, [], null);

        public static Outcome Final(OutcomeKind kind, PacketState state, NftTraceStep? decision) => new(kind, state, [], decision);

        public static Outcome Translate(IReadOnlyList<Candidate> targets, PacketState state, NftTraceStep decision) =>
            new(OutcomeKind.Translated, state, targets, decision);
    }
}
