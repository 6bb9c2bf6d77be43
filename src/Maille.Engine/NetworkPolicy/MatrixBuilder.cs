using System.Collections.Immutable;
using System.Net;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The bitsets behind <see cref="ReachabilityMatrix"/>, with the same semantics as the evaluator's rule matching
/// (<see cref="NetworkPolicyEvaluator.PeerMatches"/>, <see cref="NetworkPolicyEvaluator.PortMatches"/>):
/// <list type="bullet">
/// <item>a rule's peers as the set of matrix pods they match (peers never depend on the other side or the port);</item>
/// <item>a rule's ports, for one port/protocol, as the set of destination pods on which they match (named ports
/// resolve on the destination, so only named entries make this depend on the pod);</item>
/// <item>egress, per source: every destination when not egress-isolated, else the union over the isolating policies'
/// egress rules of peers ∩ ports;</item>
/// <item>ingress, per destination: every source when not ingress-isolated, else the union of the peers of the isolating
/// policies' ingress rules whose ports match on that destination.</item>
/// </list>
/// Selectors are matched once per distinct namespace and distinct label set, and rows are shared between pods with the
/// same isolating policies (and, for ingress, the same rules matching the port).
/// <para>
/// ClusterNetworkPolicies make a pod's side a key of three parts: its Admin-tier subjects, its NetworkPolicies, its
/// Baseline-tier subjects (all found from namespace and labels). A side with any ClusterNetworkPolicy is computed tier
/// by tier over bitsets (<see cref="Tiered"/>): the rules in order, each taking the pods it matches out of the still
/// open set; Accept adds them to the allowed set, Pass keeps them for the next tier. Without ClusterNetworkPolicies
/// every row is computed as before.
/// </para>
/// </summary>
internal sealed class MatrixBuilder
{
    private readonly NetworkPolicyEvaluator _evaluator;
    private readonly ImmutableArray<Pod> _pods;
    private readonly int _count;
    private readonly ulong[] _all;
    private readonly ulong[] _none;

    private readonly List<string> _namespaces = [];
    private readonly List<Labels> _namespaceLabels = [];
    private readonly List<Labels> _labelSets = [];
    private readonly int[] _namespaceOf;
    private readonly int[] _labelsOf;

    private readonly Dictionary<LabelSelector, bool[]> _onNamespaces = [];
    private readonly Dictionary<LabelSelector, bool[]> _onLabels = [];
    private readonly Dictionary<IpBlock, ulong[]> _blocks = [];
    private readonly Dictionary<(string Name, Protocol Protocol, int Port), ulong[]> _namedPorts = [];

    private readonly Dictionary<NetworkPolicy, int> _policyIds = new(ReferenceEqualityComparer.Instance);
    private readonly List<NetworkPolicy> _policies = [];
    private readonly Dictionary<(int Policy, PolicyDirection Direction, int Rule), ulong[]> _rulePeers = [];

    // Per pod, the index (into _policySets) of the policies isolating it per direction; -1 when none.
    private readonly List<int[]> _policySets = [];
    private readonly int[] _ingressSetOf;
    private readonly int[] _egressSetOf;

    // Per pod, the index (into _tierSets) of the Admin-tier and Baseline-tier ClusterNetworkPolicies whose subject it is
    // (indexes into the evaluator's AdminTier and BaselineTier, in evaluation order); -1 when none.
    private readonly List<(int[] Admin, int[] Baseline)> _tierSets = [];
    private readonly int[] _tiersOf;
    private readonly Dictionary<(ClusterPolicyTier Tier, int Policy, PolicyDirection Direction, int Rule), ulong[]> _clusterRulePeers = [];

    public MatrixBuilder(NetworkPolicyEvaluator evaluator, ImmutableArray<Pod> pods)
    {
        _evaluator = evaluator;
        _pods = pods;
        _count = pods.Length;
        _all = PodBits.All(_count);
        _none = new ulong[PodBits.Words(_count)];
        _namespaceOf = new int[_count];
        _labelsOf = new int[_count];
        _ingressSetOf = new int[_count];
        _egressSetOf = new int[_count];
        _tiersOf = new int[_count];

        var namespaceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var labelIds = new Dictionary<Labels, int>();
        for (var i = 0; i < _count; i++)
        {
            var pod = pods[i];
            if (!namespaceIds.TryGetValue(pod.Namespace, out var ns))
            {
                ns = namespaceIds[pod.Namespace] = _namespaces.Count;
                _namespaces.Add(pod.Namespace);
                _namespaceLabels.Add(evaluator.NamespaceLabelsOf(pod.Namespace));
            }

            if (!labelIds.TryGetValue(pod.Labels, out var labels))
            {
                labels = labelIds[pod.Labels] = _labelSets.Count;
                _labelSets.Add(pod.Labels);
            }

            _namespaceOf[i] = ns;
            _labelsOf[i] = labels;
        }

        // Which policies isolate each pod depends only on its namespace and labels.
        var setIds = new Dictionary<int[], int>(IntArrayComparer.Instance);
        var tierIds = new Dictionary<int[], int>(IntArrayComparer.Instance);
        var isolation = new Dictionary<(int Namespace, int Labels), (int Ingress, int Egress, int Tiers)>();
        for (var i = 0; i < _count; i++)
        {
            var key = (_namespaceOf[i], _labelsOf[i]);
            if (!isolation.TryGetValue(key, out var sets))
            {
                var selecting = evaluator.PoliciesIn(_namespaces[key.Item1]).Where(p => OnLabels(p.PodSelector)[key.Item2]).ToList();
                sets = isolation[key] = (
                    SetId(selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Ingress))),
                    SetId(selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Egress))),
                    TierId(_namespaceLabels[key.Item1], _labelSets[key.Item2]));
            }

            (_ingressSetOf[i], _egressSetOf[i], _tiersOf[i]) = sets;
        }

        int TierId(Labels namespaceLabels, Labels podLabels)
        {
            int[] admin = [.. Subjects(evaluator.AdminTier)];
            int[] baseline = [.. Subjects(evaluator.BaselineTier)];
            if (admin.Length == 0 && baseline.Length == 0)
            {
                return -1;
            }

            int[] key = [.. admin, -1, .. baseline];
            if (!tierIds.TryGetValue(key, out var id))
            {
                id = tierIds[key] = _tierSets.Count;
                _tierSets.Add((admin, baseline));
            }

            return id;

            IEnumerable<int> Subjects(ImmutableArray<ClusterNetworkPolicy> tier) =>
                Enumerable.Range(0, tier.Length).Where(p => tier[p].Subject.Matches(namespaceLabels, podLabels));
        }

        int SetId(IEnumerable<NetworkPolicy> policies)
        {
            var ids = policies.Select(PolicyId).ToArray();
            if (ids.Length == 0)
            {
                return -1;
            }

            if (!setIds.TryGetValue(ids, out var id))
            {
                id = setIds[ids] = _policySets.Count;
                _policySets.Add(ids);
            }

            return id;
        }
    }

    /// <summary>Per source row, the destinations its egress allows on the port (null: not egress-isolated).</summary>
    public ulong[]?[] EgressRows(PortProtocol port)
    {
        var bySet = new ulong[]?[_policySets.Count];
        var byTiers = new Dictionary<(int Set, int Tiers), ulong[]>();
        var rows = new ulong[]?[_count];
        for (var i = 0; i < _count; i++)
        {
            var set = _egressSetOf[i];
            var tiers = _tiersOf[i];
            if (tiers >= 0)
            {
                if (!byTiers.TryGetValue((set, tiers), out var row))
                {
                    var isolated = set < 0 ? null : bySet[set] ??= EgressRow(_policySets[set], port);
                    row = byTiers[(set, tiers)] = Tiered(
                        ClusterEgress(ClusterPolicyTier.Admin, _tierSets[tiers].Admin, port), isolated, ClusterEgress(ClusterPolicyTier.Baseline, _tierSets[tiers].Baseline, port));
                }

                rows[i] = row;
                continue;
            }

            if (set < 0)
            {
                continue;
            }

            rows[i] = bySet[set] ??= EgressRow(_policySets[set], port);
        }

        return rows;
    }

    /// <summary>A tier's egress rules for a source, in order: each rule's action and the destinations it matches on the port.</summary>
    private IEnumerable<(ClusterPolicyAction Action, ulong[] Matches)> ClusterEgress(ClusterPolicyTier tier, int[] policies, PortProtocol port)
    {
        foreach (var p in policies)
        {
            var rules = TierOf(tier)[p].Egress;
            for (var r = 0; r < rules.Count; r++)
            {
                var matches = new ulong[_none.Length];
                PodBits.OrAnd(matches, ClusterRulePeers(tier, p, PolicyDirection.Egress, r), ClusterRulePorts(rules[r].Ports, port));
                yield return (rules[r].Action, matches);
            }
        }
    }

    /// <summary>
    /// The evaluation order over bitsets: the Admin tier's rules in order, each deciding the still-open pods it matches
    /// (Accept allows, Deny drops, Pass sends them on); then NetworkPolicy (<paramref name="isolated"/>, the pods it
    /// allows; null when it does not isolate), which decides everything still open; else the Baseline tier likewise,
    /// and what no rule matched is allowed.
    /// </summary>
    private ulong[] Tiered(
        IEnumerable<(ClusterPolicyAction Action, ulong[] Matches)> admin, ulong[]? isolated, IEnumerable<(ClusterPolicyAction Action, ulong[] Matches)> baseline)
    {
        var open = (ulong[])_all.Clone();
        var passed = new ulong[_none.Length];
        var allowed = new ulong[_none.Length];
        foreach (var (action, matches) in admin)
        {
            Decide(action, matches, action == ClusterPolicyAction.Pass ? passed : allowed);
        }

        PodBits.Or(open, passed);
        if (isolated is not null)
        {
            PodBits.OrAnd(allowed, open, isolated);
            return allowed;
        }

        foreach (var (action, matches) in baseline)
        {
            // A Pass in the last tier leaves the pods to the default, which allows them.
            Decide(action, matches, allowed);
        }

        PodBits.Or(allowed, open);
        return allowed;

        void Decide(ClusterPolicyAction action, ulong[] matches, ulong[] into)
        {
            for (var w = 0; w < open.Length; w++)
            {
                var hit = open[w] & matches[w];
                if (action != ClusterPolicyAction.Deny)
                {
                    into[w] |= hit;
                }

                open[w] &= ~matches[w];
            }
        }
    }

    /// <summary>Per destination column, the sources its ingress allows on the port (null: not ingress-isolated).</summary>
    public ulong[]?[] IngressColumns(PortProtocol port)
    {
        var byRules = new Dictionary<int[], ulong[]>(IntArrayComparer.Instance);
        var columns = new ulong[]?[_count];
        var active = new List<int>();
        for (var d = 0; d < _count; d++)
        {
            var set = _ingressSetOf[d];
            if (_tiersOf[d] >= 0)
            {
                columns[d] = TieredColumn(d, set, port, byRules);
                continue;
            }

            if (set < 0)
            {
                continue;
            }

            // The rules (policy id, rule index) whose ports match on this destination.
            active.Clear();
            foreach (var policyId in _policySets[set])
            {
                var rules = _policies[policyId].Ingress;
                for (var r = 0; r < rules.Count; r++)
                {
                    if (PortsMatchOn(rules[r].Ports, d, port))
                    {
                        active.Add(policyId);
                        active.Add(r);
                    }
                }
            }

            var key = active.ToArray();
            if (!byRules.TryGetValue(key, out var column))
            {
                column = new ulong[_none.Length];
                for (var k = 0; k < key.Length; k += 2)
                {
                    PodBits.Or(column, RulePeers(key[k], PolicyDirection.Ingress, key[k + 1]));
                }

                byRules[key] = column;
            }

            columns[d] = column;
        }

        return columns;
    }

    /// <summary>
    /// A destination's ingress with ClusterNetworkPolicies: the key lists the rules whose ports match on it (NetworkPolicy
    /// rules, then each tier's), so destinations that agree on them share the column.
    /// </summary>
    private ulong[] TieredColumn(int destination, int set, PortProtocol port, Dictionary<int[], ulong[]> byRules)
    {
        var (admin, baseline) = _tierSets[_tiersOf[destination]];
        var key = new List<int> { -3, set };
        if (set >= 0)
        {
            foreach (var policyId in _policySets[set])
            {
                var rules = _policies[policyId].Ingress;
                for (var r = 0; r < rules.Count; r++)
                {
                    if (PortsMatchOn(rules[r].Ports, destination, port))
                    {
                        key.Add(policyId);
                        key.Add(r);
                    }
                }
            }
        }

        var npEnd = key.Count;
        AddTier(ClusterPolicyTier.Admin, admin);
        key.Add(-1);
        var adminEnd = key.Count;
        AddTier(ClusterPolicyTier.Baseline, baseline);
        int[] array = [.. key];
        if (byRules.TryGetValue(array, out var column))
        {
            return column;
        }

        ulong[]? isolated = null;
        if (set >= 0)
        {
            isolated = new ulong[_none.Length];
            for (var k = 2; k < npEnd; k += 2)
            {
                PodBits.Or(isolated, RulePeers(array[k], PolicyDirection.Ingress, array[k + 1]));
            }
        }

        column = Tiered(Rules(ClusterPolicyTier.Admin, npEnd, adminEnd - 1), isolated, Rules(ClusterPolicyTier.Baseline, adminEnd, array.Length));
        byRules[array] = column;
        return column;

        void AddTier(ClusterPolicyTier tier, int[] policies)
        {
            foreach (var p in policies)
            {
                var rules = TierOf(tier)[p].Ingress;
                for (var r = 0; r < rules.Count; r++)
                {
                    if (ClusterPortsMatchOn(rules[r].Ports, destination, port))
                    {
                        key.Add(p);
                        key.Add(r);
                    }
                }
            }
        }

        IEnumerable<(ClusterPolicyAction, ulong[])> Rules(ClusterPolicyTier tier, int start, int end)
        {
            for (var k = start; k < end; k += 2)
            {
                yield return (TierOf(tier)[array[k]].Ingress[array[k + 1]].Action, ClusterRulePeers(tier, array[k], PolicyDirection.Ingress, array[k + 1]));
            }
        }
    }

    private ImmutableArray<ClusterNetworkPolicy> TierOf(ClusterPolicyTier tier) =>
        tier == ClusterPolicyTier.Admin ? _evaluator.AdminTier : _evaluator.BaselineTier;

    /// <summary>The pods a ClusterNetworkPolicy rule's peers match (nodes peers match none: hostNetwork pods are not rows).</summary>
    private ulong[] ClusterRulePeers(ClusterPolicyTier tier, int policy, PolicyDirection direction, int rule)
    {
        var key = (tier, policy, direction, rule);
        if (_clusterRulePeers.TryGetValue(key, out var bits))
        {
            return bits;
        }

        bits = new ulong[_none.Length];
        foreach (var peer in TierOf(tier)[policy].RulesFor(direction)[rule].Peers)
        {
            foreach (var network in peer.Networks)
            {
                PodBits.Or(bits, Block(network));
            }

            var namespaces = peer.Namespaces ?? peer.Pods?.NamespaceSelector;
            if (namespaces is null)
            {
                continue;
            }

            var onNamespaces = OnNamespaces(namespaces);
            var labels = peer.Pods is { } pods ? OnLabels(pods.PodSelector) : null;
            for (var i = 0; i < _count; i++)
            {
                if (onNamespaces[_namespaceOf[i]] && (labels is null || labels[_labelsOf[i]]))
                {
                    PodBits.Set(bits, i);
                }
            }
        }

        _clusterRulePeers[key] = bits;
        return bits;
    }

    /// <summary>The destinations on which a ClusterNetworkPolicy rule's protocols match the port.</summary>
    private ulong[] ClusterRulePorts(EquatableArray<ClusterPolicyPort> ports, PortProtocol port)
    {
        if (ports.IsEmpty)
        {
            return _all;
        }

        ulong[]? named = null;
        foreach (var entry in ports)
        {
            if (entry.NamedPort is { } name)
            {
                named ??= new ulong[_none.Length];
                PodBits.Or(named, NamedPort(name, port));
            }
            else if (NetworkPolicyEvaluator.ClusterPortMatches(entry, null, port.Port, port.Protocol))
            {
                return _all;
            }
        }

        return named ?? _none;
    }

    private bool ClusterPortsMatchOn(EquatableArray<ClusterPolicyPort> ports, int destination, PortProtocol port) =>
        ports.IsEmpty || ports.Any(entry => entry.NamedPort is { } name
            ? PodBits.Test(NamedPort(name, port), destination)
            : NetworkPolicyEvaluator.ClusterPortMatches(entry, null, port.Port, port.Protocol));

    private ulong[] EgressRow(int[] policies, PortProtocol port)
    {
        var row = new ulong[_none.Length];
        foreach (var policyId in policies)
        {
            var rules = _policies[policyId].Egress;
            for (var r = 0; r < rules.Count; r++)
            {
                PodBits.OrAnd(row, RulePeers(policyId, PolicyDirection.Egress, r), RulePorts(rules[r].Ports, port));
            }
        }

        return row;
    }

    /// <summary>The destinations on which a rule's port list matches the port.</summary>
    private ulong[] RulePorts(EquatableArray<NetworkPolicyPort> ports, PortProtocol port)
    {
        if (ports.IsEmpty)
        {
            return _all;
        }

        ulong[]? named = null;
        foreach (var entry in ports)
        {
            if (entry.Protocol != port.Protocol)
            {
                continue;
            }

            if (entry.Port is { IsNamed: true, Name: { } name })
            {
                named ??= new ulong[_none.Length];
                PodBits.Or(named, NamedPort(name, port));
            }
            else if (NetworkPolicyEvaluator.PortMatches(entry, null, port.Port, port.Protocol))
            {
                return _all;
            }
        }

        return named ?? _none;
    }

    private bool PortsMatchOn(EquatableArray<NetworkPolicyPort> ports, int destination, PortProtocol port)
    {
        if (ports.IsEmpty)
        {
            return true;
        }

        foreach (var entry in ports)
        {
            if (entry.Protocol != port.Protocol)
            {
                continue;
            }

            if (entry.Port is { IsNamed: true, Name: { } name }
                ? PodBits.Test(NamedPort(name, port), destination)
                : NetworkPolicyEvaluator.PortMatches(entry, null, port.Port, port.Protocol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pods on which the named port resolves (first containerPort with that name and protocol) to the port.</summary>
    private ulong[] NamedPort(string name, PortProtocol port)
    {
        var key = (name, port.Protocol, port.Port);
        if (!_namedPorts.TryGetValue(key, out var bits))
        {
            bits = _namedPorts[key] = new ulong[_none.Length];
            for (var i = 0; i < _count; i++)
            {
                if (_pods[i].Spec.FindPort(name, port.Protocol)?.Port == port.Port)
                {
                    PodBits.Set(bits, i);
                }
            }
        }

        return bits;
    }

    /// <summary>The pods a rule's peers match; an empty peer list matches every pod.</summary>
    private ulong[] RulePeers(int policyId, PolicyDirection direction, int rule)
    {
        var key = (policyId, direction, rule);
        if (_rulePeers.TryGetValue(key, out var bits))
        {
            return bits;
        }

        var policy = _policies[policyId];
        var peers = (direction == PolicyDirection.Ingress ? policy.Ingress : policy.Egress)[rule].Peers;
        if (peers.IsEmpty)
        {
            bits = _all;
        }
        else
        {
            bits = new ulong[_none.Length];
            foreach (var peer in peers)
            {
                AddPeer(bits, policy, peer);
            }
        }

        _rulePeers[key] = bits;
        return bits;
    }

    private void AddPeer(ulong[] bits, NetworkPolicy policy, NetworkPolicyPeer peer)
    {
        if (peer.IpBlock is { } block)
        {
            PodBits.Or(bits, Block(block));
            return;
        }

        if (peer.PodSelector is null && peer.NamespaceSelector is null)
        {
            return;
        }

        var namespaces = peer.NamespaceSelector is { } namespaceSelector
            ? OnNamespaces(namespaceSelector)
            : [.. _namespaces.Select(n => n == policy.Namespace)];
        var labels = peer.PodSelector is { } podSelector ? OnLabels(podSelector) : null;
        for (var i = 0; i < _count; i++)
        {
            if (namespaces[_namespaceOf[i]] && (labels is null || labels[_labelsOf[i]]))
            {
                PodBits.Set(bits, i);
            }
        }
    }

    /// <summary>The pods whose IP is in the block (and in none of its excepts); a pod without an IP is in no block.</summary>
    private ulong[] Block(IpBlock block)
    {
        if (!_blocks.TryGetValue(block, out var bits))
        {
            bits = _blocks[block] = new ulong[_none.Length];
            for (var i = 0; i < _count; i++)
            {
                if (_pods[i].Status.PodIP is IPAddress ip && block.Contains(ip))
                {
                    PodBits.Set(bits, i);
                }
            }
        }

        return bits;
    }

    private bool[] OnNamespaces(LabelSelector selector)
    {
        if (!_onNamespaces.TryGetValue(selector, out var matches))
        {
            matches = _onNamespaces[selector] = [.. _namespaceLabels.Select(selector.Matches)];
        }

        return matches;
    }

    private bool[] OnLabels(LabelSelector selector)
    {
        if (!_onLabels.TryGetValue(selector, out var matches))
        {
            matches = _onLabels[selector] = [.. _labelSets.Select(selector.Matches)];
        }

        return matches;
    }

    private int PolicyId(NetworkPolicy policy)
    {
        if (!_policyIds.TryGetValue(policy, out var id))
        {
            id = _policyIds[policy] = _policies.Count;
            _policies.Add(policy);
        }

        return id;
    }

    private sealed class IntArrayComparer : IEqualityComparer<int[]>
    {
        public static IntArrayComparer Instance { get; } = new();

        public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
