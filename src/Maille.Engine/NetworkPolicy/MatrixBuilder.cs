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
        var isolation = new Dictionary<(int Namespace, int Labels), (int Ingress, int Egress)>();
        for (var i = 0; i < _count; i++)
        {
            var key = (_namespaceOf[i], _labelsOf[i]);
            if (!isolation.TryGetValue(key, out var sets))
            {
                var selecting = evaluator.PoliciesIn(_namespaces[key.Item1]).Where(p => OnLabels(p.PodSelector)[key.Item2]).ToList();
                sets = isolation[key] = (
                    SetId(selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Ingress))),
                    SetId(selecting.Where(p => p.EffectivePolicyTypes.HasFlag(PolicyDirection.Egress))));
            }

            (_ingressSetOf[i], _egressSetOf[i]) = sets;
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
        var rows = new ulong[]?[_count];
        for (var i = 0; i < _count; i++)
        {
            var set = _egressSetOf[i];
            if (set < 0)
            {
                continue;
            }

            rows[i] = bySet[set] ??= EgressRow(_policySets[set], port);
        }

        return rows;
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
