using System.Globalization;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// What the node's table holds, kept per Service port, so that a sync writes only the difference (kube-proxy's
/// partial sync): elements are reference-counted by set and key (a ClusterIP with two ports, a hairpin pair, are one
/// element), and shared chains and maps live while a port needs them. <see cref="Prepare"/> computes a change without
/// touching the state; <see cref="Commit"/> records it once the kernel has accepted it. Not thread-safe.
/// </summary>
public sealed class ServiceRulesetState
{
    private readonly Dictionary<ServicePortId, (ServicePortPlan Plan, ServicePortRules Rules)> _ports = [];
    private readonly Dictionary<string, Dictionary<string, (NftElement Element, int Count)>> _elements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _shared = new(StringComparer.Ordinal);
    private EquatableArray<ServicePortPlan> _committed = EquatableArray<ServicePortPlan>.Empty;
    private int _privateRuleCount;
    private NodeServicePlan? _context;

    /// <summary>Whether nothing was ever committed (or the state was <see cref="Reset"/>): the next sync is full.</summary>
    public bool IsEmpty => _context is null;

    public int PortCount => _ports.Count;

    public int ElementCount => _elements.Values.Sum(e => e.Count);

    public int RuleCount => FixedRuleCount + SharedChains().Sum(c => c.Rules.Count) + _privateRuleCount;

    private int FixedRuleCount => _context is null ? 0 : ServiceRulesetBuilder.FixedChains(_context).Sum(c => c.Rules.Count);

    /// <summary>Forgets everything, so the next <see cref="Prepare"/> rewrites the whole table (after a failed transaction).</summary>
    public void Reset()
    {
        _ports.Clear();
        _elements.Clear();
        _shared.Clear();
        _committed = EquatableArray<ServicePortPlan>.Empty;
        _privateRuleCount = 0;
        _context = null;
    }

    /// <summary>
    /// The transaction from the current state to <paramref name="desired"/>: the whole table when the state is empty,
    /// <paramref name="full"/> is set, or the node-wide settings changed; otherwise only the ports whose plan changed.
    /// </summary>
    public ServiceRulesetChange Prepare(NodeServicePlan desired, bool full = false)
    {
        var desiredContext = desired with { Ports = EquatableArray<ServicePortPlan>.Empty };
        if (full || _context is null || _context != desiredContext)
        {
            return PrepareFull(desired, desiredContext);
        }

        var updates = new List<(ServicePortId Id, ServicePortPlan? Plan, ServicePortRules? Rules)>();
        foreach (var (old, now) in ServicePortPairs.Changed(_committed, desired.Ports))
        {
            updates.Add(now is null ? (old!.Id, null, null) : (now.Id, now, ServiceRulesetBuilder.PortRules(desiredContext, now)));
        }

        var stages = new DifferenceStages();
        WriteDifference(stages, desiredContext, updates);
        return new ServiceRulesetChange
        {
            Desired = desired,
            Full = false,
            WriteSteps = stages.Steps,
            CommandCount = stages.CommandCount,
            Staged = stages.Split(),
            Updates = updates,
            StaleUdpFlows = StaleFlows(desiredContext, updates),
        };
    }

    /// <summary>Records a change the kernel accepted.</summary>
    public void Commit(ServiceRulesetChange change)
    {
        if (change.Replacement is { } replacement)
        {
            Reset();
            foreach (var (id, entry) in replacement._ports)
            {
                _ports[id] = entry;
            }

            foreach (var (set, entries) in replacement._elements)
            {
                _elements[set] = entries;
            }

            foreach (var (name, count) in replacement._shared)
            {
                _shared[name] = count;
            }

            _context = replacement._context;
            _committed = change.Desired.Ports;
            _privateRuleCount = replacement._privateRuleCount;
            return;
        }

        foreach (var (id, plan, rules) in change.Updates)
        {
            if (_ports.Remove(id, out var old))
            {
                Count(old.Rules, -1);
            }

            if (plan is not null && rules is not null)
            {
                _ports[id] = (plan, rules);
                Count(rules, +1);
            }
        }

        _committed = change.Desired.Ports;
    }

    /// <summary>The table as it stands: fixed sets and chains, the shared ones in use, then each port's own.</summary>
    public NftRuleset Ruleset()
    {
        if (_context is null)
        {
            return new NftRuleset(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table, EquatableArray<NftSet>.Empty, EquatableArray<NftChain>.Empty);
        }

        var sets = ServiceRulesetBuilder.FixedSets()
            .Concat(SharedNames("chain:").Select(n => ServiceRulesetBuilder.SharedObject(n, _context).Map).OfType<NftSet>())
            .Select(s => s with { Elements = new(_elements.TryGetValue(s.Name, out var e) ? e.Values.Select(v => v.Element) : []) })
            .Concat(_ports.Values.SelectMany(p => p.Rules.Sets));
        var chains = ServiceRulesetBuilder.FixedChains(_context)
            .Concat(SharedChains())
            .Concat(_ports.Values.SelectMany(p => p.Rules.Chains));
        return new NftRuleset(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table, new(sets), new(chains));
    }

    private ServiceRulesetChange PrepareFull(NodeServicePlan desired, NodeServicePlan desiredContext)
    {
        var replacement = new ServiceRulesetState { _context = desiredContext };
        foreach (var port in desired.Ports)
        {
            var rules = ServiceRulesetBuilder.PortRules(desiredContext, port);
            replacement._ports[port.Id] = (port, rules);
            replacement.Count(rules, +1);
        }

        var table = replacement.Ruleset();
        var removed = _ports.Keys.Where(id => !replacement._ports.ContainsKey(id)).Select(id => (id, (ServicePortPlan?)null, (ServicePortRules?)null));
        var changed = desired.Ports.Where(p => _ports.TryGetValue(p.Id, out var old) && old.Plan != p).Select(p => (p.Id, (ServicePortPlan?)p, (ServicePortRules?)null));
        return new ServiceRulesetChange
        {
            Desired = desired,
            Full = true,
            WriteSteps = () =>
            {
                var script = new NftScript(ServiceRulesetBuilder.Family, ServiceRulesetBuilder.Table);
                script.WriteTable(table);
                return [script.ToString()];
            },
            Table = table,
            CommandCount = NftScript.TableCommandCount(table),
            Updates = [.. replacement._ports.Select(p => (p.Key, (ServicePortPlan?)p.Value.Plan, (ServicePortRules?)p.Value.Rules))],
            StaleUdpFlows = _context is null ? [] : StaleFlows(_context, [.. removed, .. changed]),
            Replacement = replacement,
        };
    }

    private void WriteDifference(DifferenceStages stages, NodeServicePlan desiredContext, List<(ServicePortId Id, ServicePortPlan? Plan, ServicePortRules? Rules)> updates)
    {
        var elementDelta = new Dictionary<(string Set, string Key), (int Delta, NftElement? Value)>();
        var sharedDelta = new Dictionary<string, int>(StringComparer.Ordinal);
        var oldChains = new Dictionary<string, NftChain>(StringComparer.Ordinal);
        var newChains = new Dictionary<string, NftChain>(StringComparer.Ordinal);
        var oldSets = new Dictionary<string, NftSet>(StringComparer.Ordinal);
        var newSets = new Dictionary<string, NftSet>(StringComparer.Ordinal);
        foreach (var (id, _, rules) in updates)
        {
            if (_ports.TryGetValue(id, out var old))
            {
                Delta(old.Rules, -1, elementDelta, sharedDelta);
                Collect(old.Rules, oldChains, oldSets);
            }

            if (rules is not null)
            {
                Delta(rules, +1, elementDelta, sharedDelta);
                Collect(rules, newChains, newSets);
            }
        }

        var sharedAdded = sharedDelta.Where(d => d.Value > 0 && _shared.GetValueOrDefault(d.Key) == 0).Select(d => d.Key).Order(SharedNameComparer.Instance).ToList();
        var sharedRemoved = sharedDelta.Where(d => d.Value < 0 && _shared.GetValueOrDefault(d.Key) + d.Value == 0).Select(d => d.Key).Order(SharedNameComparer.Instance).ToList();
        var removedShared = sharedRemoved.Select(n => ServiceRulesetBuilder.SharedObject(n, desiredContext)).ToList();
        var removedMaps = removedShared.Select(o => o.Map?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var removedSharedChains = removedShared.Select(o => o.Chain.Name).ToList();
        var changedChains = newChains.Values.Where(c => oldChains.TryGetValue(c.Name, out var o) && o != c).ToList();
        var removedChains = oldChains.Keys.Where(n => !newChains.ContainsKey(n)).ToList();
        var addedChains = newChains.Values.Where(c => !oldChains.ContainsKey(c.Name)).ToList();

        // The stages: (2) new sets, maps and chains are made, with their rules, in a transaction of their own
        // (DifferenceStages.Steps); then, in one more, (1) chains to rewrite are flushed, (3) get their rules, (4)
        // elements go, then come, and (5) what nothing uses any more is flushed and deleted. New objects are unused
        // until (4) and old ones after it, so when (1) and (3) are empty the change can also be applied with (4) as a
        // netlink batch (DifferenceStages.Split).
        foreach (var chain in changedChains.Select(c => c.Name))
        {
            stages.Flush.FlushChain(chain);
        }

        // 2. Elements that go or change value (a verdict map element may point at a chain about to go).
        var adds = new List<NftSetElement>();
        foreach (var ((set, key), (delta, value)) in elementDelta)
        {
            var current = _elements.TryGetValue(set, out var entries) && entries.TryGetValue(key, out var entry) ? entry : default;
            var count = current.Count + delta;
            var removeOld = current.Count > 0 && (count == 0 || (value is not null && value != current.Element));
            if (removeOld && !removedMaps.Contains(set))
            {
                stages.Elements.DeleteElements(set, [current.Element]);
            }

            if (count > 0 && value is not null && (current.Count == 0 || value != current.Element))
            {
                adds.Add(new NftSetElement(set, value));
            }
        }

        // (5) Chains, then sets and maps, no longer used.
        foreach (var chain in removedChains.Concat(removedSharedChains))
        {
            stages.Remove.FlushChain(chain);
        }

        foreach (var chain in removedChains.Concat(removedSharedChains))
        {
            stages.Remove.DeleteChain(chain);
        }

        foreach (var set in oldSets.Values.Where(s => !newSets.ContainsKey(s.Name)))
        {
            stages.Remove.DeleteSet(set);
        }

        foreach (var map in removedShared.Select(o => o.Map).OfType<NftSet>())
        {
            stages.Remove.DeleteSet(map);
        }

        // (2) New sets and maps, new chains with their rules; (3) the rules of changed chains.
        foreach (var set in newSets.Values.Where(s => !oldSets.ContainsKey(s.Name)))
        {
            stages.Create.AddSet(set);
        }

        var sharedObjects = sharedAdded.Select(n => ServiceRulesetBuilder.SharedObject(n, desiredContext)).ToList();
        foreach (var map in sharedObjects.Select(o => o.Map).OfType<NftSet>())
        {
            stages.Create.AddSet(map);
        }

        var chainsToFill = addedChains.Concat(sharedObjects.Select(o => o.Chain)).ToList();
        foreach (var chain in chainsToFill)
        {
            stages.Create.AddChain(chain);
        }

        foreach (var chain in chainsToFill)
        {
            stages.Create.AddRules(chain);
        }

        foreach (var chain in changedChains)
        {
            stages.Rewrite.AddRules(chain);
        }

        // (4) New elements after the deleted ones: they may point at the chains just made.
        foreach (var group in adds.GroupBy(a => a.Set, StringComparer.Ordinal))
        {
            stages.Elements.AddElements(group.Key, group.Select(a => a.Element));
        }
    }

    private static void Delta(ServicePortRules rules, int sign, Dictionary<(string, string), (int Delta, NftElement? Value)> elementDelta, Dictionary<string, int> sharedDelta)
    {
        foreach (var (set, element) in rules.Elements)
        {
            var key = (set, element.Key);
            var (delta, value) = elementDelta.GetValueOrDefault(key);
            elementDelta[key] = (delta + sign, sign > 0 ? value ?? element : value);
        }

        foreach (var name in rules.SharedObjects)
        {
            sharedDelta[name] = sharedDelta.GetValueOrDefault(name) + sign;
        }
    }

    private static void Collect(ServicePortRules rules, Dictionary<string, NftChain> chains, Dictionary<string, NftSet> sets)
    {
        foreach (var chain in rules.Chains)
        {
            chains[chain.Name] = chain;
        }

        foreach (var set in rules.Sets)
        {
            sets[set.Name] = set;
        }
    }

    private void Count(ServicePortRules rules, int sign)
    {
        _privateRuleCount += sign * rules.Chains.Sum(c => c.Rules.Count);
        foreach (var (set, element) in rules.Elements)
        {
            if (!_elements.TryGetValue(set, out var entries))
            {
                entries = new Dictionary<string, (NftElement, int)>(StringComparer.Ordinal);
                _elements[set] = entries;
            }

            var key = element.Key;
            var current = entries.GetValueOrDefault(key);
            var count = current.Count + sign;
            if (count <= 0)
            {
                entries.Remove(key);
            }
            else
            {
                entries[key] = (sign > 0 && current.Count == 0 ? element : sign > 0 ? element : current.Element, count);
            }
        }

        foreach (var name in rules.SharedObjects)
        {
            var count = _shared.GetValueOrDefault(name) + sign;
            if (count <= 0)
            {
                _shared.Remove(name);
            }
            else
            {
                _shared[name] = count;
            }
        }
    }

    private IEnumerable<string> SharedNames(string prefix) =>
        _shared.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(SharedNameComparer.Instance);

    private IEnumerable<NftChain> SharedChains() =>
        _context is null ? [] : SharedNames("chain:").Select(n => ServiceRulesetBuilder.SharedObject(n, _context).Chain);

    /// <summary>UDP flows of changed or removed ports whose endpoint the port no longer uses, per captured address.</summary>
    private List<StaleUdpFlow> StaleFlows(NodeServicePlan flowContext, IEnumerable<(ServicePortId Id, ServicePortPlan? Plan, ServicePortRules? Rules)> updates)
    {
        var stale = new List<StaleUdpFlow>();
        foreach (var (id, plan, _) in updates)
        {
            if (id.Protocol != Protocol.UDP || !_ports.TryGetValue(id, out var old))
            {
                continue;
            }

            var kept = plan is null ? [] : Used(plan).Select(e => e.Address).ToHashSet();
            var gone = Used(old.Plan).Select(e => e.Address).Where(a => !kept.Contains(a)).Distinct().ToList();
            if (gone.Count == 0)
            {
                continue;
            }

            var entries = new List<(System.Net.IPAddress, int)> { (old.Plan.ClusterIP, old.Plan.Port) };
            if (old.Plan.NodePort is { } nodePort && flowContext.NodeAddress is { } nodeAddress)
            {
                entries.Add((nodeAddress, nodePort));
            }

            entries.AddRange(old.Plan.LoadBalancerIPs.Concat(old.Plan.ExternalIPs).Distinct().Select(a => (a, old.Plan.Port)));
            stale.AddRange(entries.SelectMany(e => gone.Select(endpoint => new StaleUdpFlow(e.Item1, e.Item2, endpoint))));
        }

        return stale;
    }

    /// <summary>
    /// The endpoints a port's rules can send to: the local list only counts under a Local traffic policy (otherwise it
    /// may still hold a terminating endpoint the rules no longer use, whose flows must be flushed).
    /// </summary>
    private static IEnumerable<Engine.ServiceProxy.ProxyEndpoint> Used(ServicePortPlan plan) =>
        plan.InternalTrafficLocal || plan.ExternalTrafficLocal ? plan.ClusterEndpoints.Concat(plan.LocalEndpoints) : plan.ClusterEndpoints;

    /// <summary>Orders <c>endpoints-2</c> before <c>endpoints-10</c>.</summary>
    private sealed class SharedNameComparer : IComparer<string>
    {
        public static readonly SharedNameComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xStem, xNumber) = Split(x!);
            var (yStem, yNumber) = Split(y!);
            var byStem = string.CompareOrdinal(xStem, yStem);
            return byStem != 0 ? byStem : xNumber.CompareTo(yNumber);
        }

        private static (string Stem, int Number) Split(string name)
        {
            var dash = name.LastIndexOf('-');
            return int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? (name[..dash], number)
                : (name, -1);
        }
    }
}
