using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Maille.Dataplane.Ebpf;
using Maille.Dataplane.Linux.Interop;
using Maille.Dataplane.Linux.Netns;
using Maille.Dataplane.Linux.Nftables;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>
/// One node's NetworkPolicy at tc: loads <c>pod_policy.bpf.o</c> (its own maps), attaches its two programs to the node
/// side of each pod's veth (<see cref="Attach"/>, clsact through libbpf's <c>bpf_tc_hook_create</c>/<c>bpf_tc_attach</c>,
/// inside the node's namespace: never the host's), and keeps its maps equal to what the engine plans for the node
/// (<see cref="NodePolicyPlanner"/>, the plan the nftables enforcer renders).
/// </summary>
/// <remarks>
/// tc filters are not bpf_links: they stay on an interface until it goes or its clsact qdisc is deleted. A pod's veth
/// goes with the pod (and the filters with it); <see cref="Dispose"/> deletes the qdisc of every veth still there. After
/// a crash the filters stay on the veths until <c>maille down</c> removes the namespaces.
/// </remarks>
public sealed class NodePodPolicy : IDisposable
{
    public const string ObjectFile = "pod_policy.bpf.o";

    /// <summary>On the veth's ingress (packets from the pod: its egress).</summary>
    public const string EgressProgram = "maille_egress";

    /// <summary>On the veth's egress (packets to the pod: its ingress).</summary>
    public const string IngressProgram = "maille_ingress";

    private static readonly (PodPolicyMap Map, string Name, int KeySize)[] Maps =
    [
        (PodPolicyMap.Counters, "counters", PodPolicyLayout.CounterKeySize),
        (PodPolicyMap.Ports, "ports", PodPolicyLayout.PortKeySize),
        (PodPolicyMap.Peers, "peers", PodPolicyLayout.PeerKeySize),
        (PodPolicyMap.Chains, "chains", PodPolicyLayout.ChainKeySize),
        (PodPolicyMap.Nodes, "nodes", PodPolicyLayout.NodeKeySize),
        (PodPolicyMap.Pods, "pods", PodPolicyLayout.PodKeySize),
    ];

    private readonly Lock _gate = new();
    private readonly NetworkNamespace _node;
    private readonly BpfObject _object;
    private readonly Dictionary<PodPolicyMap, BpfMap> _maps;
    private readonly BpfMap _flows;
    private readonly PodPolicyState _state = new();
    private readonly Dictionary<string, int> _interfaces = new(StringComparer.Ordinal);
    private NodePolicyPlan? _plan;

    /// <summary>The counter keys by slot of one sync's maps, made again when a sync changed them (for <see cref="DenialPrefix"/>).</summary>
    private (PodPolicyMaps? Maps, Dictionary<uint, string> Keys) _slotNames = (null, []);

    /// <summary>The maps as the object's load made them, empty: the first full sync has nothing else to delete.</summary>
    private bool _mapsNew;

    /// <param name="pinDirectory">A bpffs folder of this node's own (a <c>maille agent</c> process's): the maps are
    /// pinned there, so a restarted process finds the policy, its counters and its flows as they were, and its programs
    /// replace the filters on the veths without a moment of empty maps. Null: the maps go with this object.</param>
    public NodePodPolicy(NetworkNamespace node, string nodeName, string? objectPath = null, string? pinDirectory = null)
    {
        _node = node;
        NodeName = nodeName;
        _object = BpfObject.Load(objectPath ?? Path.Combine(AppContext.BaseDirectory, "bpf", ObjectFile), pinDirectory);
        _mapsNew = !_object.MapsReused;
        try
        {
            _maps = Maps.ToDictionary(m => m.Map, m => _object.Map(m.Name, m.KeySize));
            _flows = _object.Map("flows", PodPolicyLayout.FlowKeySize);
        }
        catch
        {
            _object.Dispose();
            throw;
        }
    }

    public string NodeName { get; }

    /// <summary>The node-side veths the programs are attached to, by name.</summary>
    public IReadOnlyCollection<string> Interfaces
    {
        get
        {
            lock (_gate)
            {
                return [.. _interfaces.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The plan the maps hold (null before the first sync, or after a refused one).</summary>
    public NodePolicyPlan? Plan => Volatile.Read(ref _plan);

    /// <summary>
    /// Attaches both programs to the node-side veth <paramref name="hostInterface"/> of a pod (in the node's namespace).
    /// Attaching again is a no-op, unless the interface was made again (a new index).
    /// </summary>
    public void Attach(string hostInterface)
    {
        lock (_gate)
        {
            var egress = _object.ProgramDescriptor(EgressProgram);
            var ingress = _object.ProgramDescriptor(IngressProgram);
            var index = _node.RunInside(() =>
            {
                var index = (int)Libc.IfNameToIndex(hostInterface);
                if (index == 0)
                {
                    throw Libc.LastError($"if_nametoindex {hostInterface} in {_node.Name}");
                }

                if (_interfaces.TryGetValue(hostInterface, out var known) && known == index)
                {
                    return index;
                }

                TcAttachment.CreateHook(index, $"{hostInterface} in {_node.Name}");
                TcAttachment.Attach(index, LibBpf.TcIngress, egress, EgressProgram, hostInterface);
                TcAttachment.Attach(index, LibBpf.TcEgress, ingress, IngressProgram, hostInterface);
                return index;
            });
            _interfaces[hostInterface] = index;
        }
    }

    /// <summary>Removes the programs from <paramref name="hostInterface"/> (its clsact qdisc); an interface already gone is forgotten.</summary>
    public void Detach(string hostInterface)
    {
        lock (_gate)
        {
            if (_interfaces.Remove(hostInterface, out var index))
            {
                // Only while the name still has that index: a pod's veth that is gone may have left its index to another.
                _node.RunInside(() =>
                {
                    if ((int)Libc.IfNameToIndex(hostInterface) == index)
                    {
                        TcAttachment.Destroy(index, hostInterface);
                    }
                });
            }
        }
    }

    /// <summary>Attaches to each of <paramref name="hostInterfaces"/> not attached yet, and detaches from the others.</summary>
    public void KeepAttached(IReadOnlySet<string> hostInterfaces)
    {
        foreach (var gone in Interfaces.Where(i => !hostInterfaces.Contains(i)).ToList())
        {
            Detach(gone);
        }

        foreach (var name in hostInterfaces.Order(StringComparer.Ordinal))
        {
            Attach(name);
        }
    }

    /// <summary>
    /// Makes the maps hold <paramref name="cluster"/>'s plan for this node; <paramref name="full"/> writes them whole and
    /// deletes what else they hold. <paramref name="flushDenied"/>: then forgets every flow the new plan denies, so that
    /// its next packet is judged again (nftables' <c>FlushDeniedConnections</c>).
    /// </summary>
    public NodePodPolicySync Sync(ClusterState cluster, bool full = false, bool flushDenied = false) =>
        Sync(NodePolicyPlanner.Plan(cluster, NodeName), full, flushDenied);

    /// <summary>
    /// <see cref="Sync(ClusterState, bool, bool)"/> once the node's plan is made: the map writes are planned (pure,
    /// <see cref="PodPolicyState"/>), then written. The benchmarks call it with a plan of their own.
    /// </summary>
    internal NodePodPolicySync Sync(NodePolicyPlan plan, bool full = false, bool flushDenied = false)
    {
        lock (_gate)
        {
            var preparing = Stopwatch.GetTimestamp();
            var change = _state.Prepare(plan, full);
            var prepareDuration = Stopwatch.GetElapsedTime(preparing);
            var applying = Stopwatch.GetTimestamp();
            try
            {
                BpfMapWrites.Apply(_maps, change.Operations.Select(o => (o.Map, o.Key, o.Value)));
                if (change.Full && !_mapsNew)
                {
                    // Drift repair: what the maps hold beyond the full change's entries goes, after they are written.
                    foreach (var (kind, map) in _maps.Where(m => m.Key != PodPolicyMap.Counters))
                    {
                        BpfMapWrites.DeleteOthers(map, key => change.Maps.Of(kind).ContainsKey(Convert.ToHexString(key)));
                    }
                }
            }
            catch (IOException e)
            {
                _mapsNew = false;
                _state.Reset();
                Volatile.Write(ref _plan, null);
                return new NodePodPolicySync { Full = change.Full, CommandCount = change.CommandCount, PrepareDuration = prepareDuration, ApplyDuration = Stopwatch.GetElapsedTime(applying), Error = e.Message };
            }

            _mapsNew = false;
            _state.Commit(change);
            Volatile.Write(ref _plan, plan);
            var flushed = flushDenied && change.CommandCount > 0 ? FlushDenied(plan) : 0;
            return new NodePodPolicySync { Full = change.Full, CommandCount = change.CommandCount, PrepareDuration = prepareDuration, ApplyDuration = Stopwatch.GetElapsedTime(applying), FlushedFlows = flushed };
        }
    }

    /// <summary>Every counter slot in use, by key (a rule's <c>Key</c>, or <c>deny/CHAIN</c>): the first packets it decided, and their bytes.</summary>
    public IReadOnlyDictionary<string, (ulong Packets, ulong Bytes)> ReadCounters()
    {
        lock (_gate)
        {
            var counters = _maps[PodPolicyMap.Counters];
            return _state.Maps.Slots.ToDictionary(
                s => s.Key,
                s => counters.Lookup(PodPolicyLayout.CounterKey(s.Value), PodPolicyLayout.CounterValueSize) is { } value ? PodPolicyLayout.Counter(value) : (0UL, 0UL),
                StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// How the maps this node holds now judge a first packet for one direction of its pod <paramref name="pod"/>
    /// (<see cref="PodPolicyWalker"/>): each entry read, named back by the last sync's ids.
    /// </summary>
    public PodPolicyWalk Walk(bool ingress, System.Net.IPAddress pod, System.Net.IPAddress peer, int protocol, int? port)
    {
        lock (_gate)
        {
            return PodPolicyWalker.Walk((map, key, size) => _maps[map].Lookup(key, size), _state.Maps, ingress, pod, peer, protocol, port);
        }
    }

    /// <summary>
    /// Starts reading the first packets the programs deny (their <c>denials</c> ring buffer) into <paramref name="sink"/>,
    /// as the nftables mode's policy table logs them (<see cref="PodPolicyDenialReader"/>), until the reader is disposed
    /// (before this object).
    /// </summary>
    public PodPolicyDenialReader ReadDenials(Flows.IKernelFlowSink sink) =>
        new(NodeName, _object.Map("denials", 0), _object.Map("denials_lost", sizeof(uint)), DenialPrefix, sink);

    /// <summary>
    /// The log prefix the nftables mode gives what a counter slot counts (<see cref="PolicyDenialLog"/>): a
    /// chain's end (<c>deny/CHAIN</c>) is its chain, a ClusterNetworkPolicy Deny rule its rule. A slot the last sync
    /// does not know (a chain missing: drift; or given to another rule since) names only the direction, and the reader
    /// then names the policies from the engine's isolation of the pod.
    /// </summary>
    private string DenialPrefix(uint slot, bool ingress)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_slotNames.Maps, _state.Maps))
            {
                _slotNames = (_state.Maps, _state.Maps.Slots.ToDictionary(s => s.Value, s => s.Key));
            }

            if (_slotNames.Keys.TryGetValue(slot, out var key))
            {
                if (key.StartsWith(PodPolicyState.DenyCounter(""), StringComparison.Ordinal))
                {
                    return PolicyDenialLog.Prefix(key[PodPolicyState.DenyCounter("").Length..]);
                }

                if (_plan?.TierChains.SelectMany(c => c.Rules).FirstOrDefault(r => r.Rule.Key == key) is { } rule)
                {
                    return PolicyDenialLog.Prefix(rule.Rule);
                }
            }

            return PolicyDenialLog.Prefix($"{(ingress ? "ingress" : "egress")}-slot-{slot}");
        }
    }

    /// <summary>The element count of every map (counters: the slots in use), the flows LRU map included.</summary>
    public IReadOnlyDictionary<string, int> MapCounts()
    {
        lock (_gate)
        {
            var counts = Maps.Where(m => m.Map != PodPolicyMap.Counters).ToDictionary(m => m.Name, m => _maps[m.Map].Count(), StringComparer.Ordinal);
            counts["counters"] = _state.Maps.Slots.Count;
            counts["flows"] = _flows.Count();
            return counts;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (name, index) in _interfaces)
            {
                try
                {
                    _node.RunInside(() => TcAttachment.Destroy(index, name));
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // The namespace is gone, and the veths with it.
                }
            }

            _interfaces.Clear();
            _object.Dispose();
        }
    }

    /// <summary>
    /// Forgets the flows <paramref name="plan"/> now denies (TCP, UDP and SCTP: the ones a policy judges by port). A
    /// flow to a pod from the node's own address is judged, as <c>maille_ingress</c> judged its first packet, from the
    /// client of the conntrack entry that masqueraded it (the node's conntrack table is read once, only for those).
    /// </summary>
    private int FlushDenied(NodePolicyPlan plan)
    {
        var judge = new NodePolicyJudge(plan);
        IReadOnlyList<ConntrackEntry>? tracked = null;
        var flushed = 0;
        foreach (var key in _flows.Keys())
        {
            var source = new IPAddress(key.AsSpan(0, 4));
            var destination = new IPAddress(key.AsSpan(4, 4));
            var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(key.AsSpan(8, 2));
            var port = BinaryPrimitives.ReadUInt16BigEndian(key.AsSpan(10, 2));
            Protocol? protocol = key[12] switch { IpProtocols.Tcp => Protocol.TCP, IpProtocols.Udp => Protocol.UDP, IpProtocols.Sctp => Protocol.SCTP, _ => null };
            var direction = key[13] == 0 ? PolicyDirection.Ingress : PolicyDirection.Egress;
            var (local, peer) = direction == PolicyDirection.Ingress ? (destination, source) : (source, destination);
            if (direction == PolicyDirection.Ingress && protocol is Protocol.TCP or Protocol.UDP && plan.NodeAddress is { } node && source.Equals(node))
            {
                tracked ??= _node.RunInside(ConntrackTable.List);
                peer = MasqueradedClient(tracked, protocol.Value, node, sourcePort, destination, port) ?? peer;
            }

            if (protocol is { } known && judge.IsLocalPod(local) && !judge.Judge(direction, local, peer, port, known).Allowed)
            {
                _flows.Delete(key);
                flushed++;
            }
        }

        return flushed;
    }

    /// <summary>
    /// The client of a connection conntrack masqueraded to <paramref name="node"/>:<paramref name="nodePort"/> on its way
    /// to <paramref name="pod"/>:<paramref name="podPort"/> (the entry whose reply tuple is the flow's, reversed); null
    /// when no entry says so, and the node itself is the peer.
    /// </summary>
    private static IPAddress? MasqueradedClient(IReadOnlyList<ConntrackEntry> tracked, Protocol protocol, IPAddress node, int nodePort, IPAddress pod, int podPort) =>
        tracked.FirstOrDefault(e => e.IsLive
            && string.Equals(e.Protocol, protocol.ToString(), StringComparison.OrdinalIgnoreCase)
            && e.ReplySource.Equals(pod) && e.ReplySourcePort == podPort
            && node.Equals(e.ReplyDestination) && e.ReplyDestinationPort == nodePort
            && !e.Source.Equals(node))?.Source;
}
