using System.Collections.Immutable;
using System.Net;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// What one node's socket load balancer maps hold, and the writes that take them to a new
/// <see cref="NodeServicePlan"/>: only the Service ports whose rendering changed are written, and of those only the
/// slots that changed (kube-proxy's change tracker, for maps). Pure: the kernel I/O applies <see cref="SocketLbChange"/>
/// (src/Maille.Dataplane.Linux/Ebpf/NodeSocketLoadBalancer.cs) and then calls <see cref="Commit"/>, or
/// <see cref="Reset"/> when the kernel refused, so that the next change is full.
/// </summary>
public sealed class SocketLbState
{
    private readonly Dictionary<SocketLbGroupId, (uint Id, SocketLbService Service)> _ports = [];
    private EquatableArray<ServicePortPlan> _planPorts = EquatableArray<ServicePortPlan>.Empty;
    private static readonly SocketLbTraffic[] Traffics = Enum.GetValues<SocketLbTraffic>();

    /// <summary>Never added to: <see cref="ExternalFrontends"/>' answer for a port without external addresses.</summary>
    private static readonly List<SocketLbFrontend> NoFrontends = [];

    private IPAddress? _nodeAddress;
    private IReadOnlySet<ulong> _namespaces = new HashSet<ulong>();
    private uint _nextId = 1;
    private int _backendCount;
    private bool _empty = true;

    public int ServicePortCount => _ports.Keys.Count(k => k.Traffic == SocketLbTraffic.ClusterIP);

    public int BackendCount => _backendCount;

    public int NamespaceCount => _namespaces.Count;

    /// <summary>
    /// What a Service port's ClusterIP becomes on this node, or null when it gets nothing (SCTP: the lab's kernel has
    /// none). ClusterIP traffic uses the plan's internal endpoints (this node's under internalTrafficPolicy Local; the
    /// serving terminating ones when none is ready); a port with no endpoint anywhere rejects.
    /// </summary>
    public static SocketLbService? Render(ServicePortPlan port) => port.KernelSupported
        ? new SocketLbService(
            new([new SocketLbFrontend(port.ClusterIP, port.Port)]),
            port.Protocol,
            Reject: port.InternalEndpoints.IsEmpty && port.WhenEmpty == EmptyServiceVerdict.Reject,
            port.AffinityTimeoutSeconds,
            Backends(port.InternalEndpoints))
        : null;

    /// <summary>
    /// What a Service port's external addresses become for the node's own processes and pods, or null when it has none:
    /// the NodePort on <paramref name="nodeAddress"/> (never another node's: a connection to that one is that node's
    /// external traffic, as kube-proxy captures NodePorts only on local addresses), the LoadBalancer IPs and the
    /// externalIPs. From inside the cluster kube-proxy sends them to every endpoint of the cluster
    /// (<see cref="ServicePortPlan.ClusterEndpoints"/>) whatever the externalTrafficPolicy ("short-circuit" for pods,
    /// the node itself masqueraded), and rejects when there is none. LoadBalancer IPs with
    /// <c>loadBalancerSourceRanges</c> are left to the packet path, which knows the source address.
    /// </summary>
    public static SocketLbService? RenderExternal(ServicePortPlan port, IPAddress? nodeAddress) =>
        port.KernelSupported && ExternalFrontends(port, nodeAddress) is { Count: > 0 } frontends
            ? new SocketLbService(new(frontends), port.Protocol, Reject: port.ClusterEndpoints.IsEmpty, port.AffinityTimeoutSeconds, Backends(port.ClusterEndpoints))
            : null;

    /// <summary>
    /// What a Service port's external addresses become for connections from outside the node (the lab's external
    /// client, another node's pods and processes), translated at tc on the node's interface: the plan's external
    /// endpoints (this node's under <c>externalTrafficPolicy: Local</c>, none of them: a drop), masqueraded to
    /// <paramref name="nodeAddress"/> under the Cluster policy as kube-proxy does, the client's address kept under
    /// Local; no endpoint anywhere rejects. Null when the node has no address or the port no external address.
    /// </summary>
    public static SocketLbService? RenderOutside(ServicePortPlan port, IPAddress? nodeAddress) =>
        port.KernelSupported && nodeAddress is not null && ExternalFrontends(port, nodeAddress) is { Count: > 0 } frontends
            ? new SocketLbService(new(frontends), port.Protocol, Reject: !port.HasEndpoints, port.AffinityTimeoutSeconds, Backends(port.ExternalEndpoints))
            {
                Masquerade = port.ExternalTrafficLocal ? null : nodeAddress,
            }
            : null;

    /// <summary>
    /// A Service port's entries on a node whose address is <paramref name="nodeAddress"/>: its ClusterIP, with its
    /// external addresses when they use the same endpoints (one id, one set of slots), else those as a second entry;
    /// and its external addresses for connections from outside the node.
    /// </summary>
    public static IReadOnlyList<(SocketLbGroupId Id, SocketLbService Service)> RenderAll(ServicePortPlan port, IPAddress? nodeAddress)
    {
        if (Render(port) is not { } cluster)
        {
            return [];
        }

        var entries = new List<(SocketLbGroupId Id, SocketLbService Service)>(3);
        var external = RenderExternal(port, nodeAddress);
        if (external is not null && external.Backends.Equals(cluster.Backends) && external.Reject == cluster.Reject)
        {
            entries.Add((new(port.Id, SocketLbTraffic.ClusterIP), cluster with { Frontends = new([.. cluster.Frontends, .. external.Frontends]) }));
        }
        else
        {
            entries.Add((new(port.Id, SocketLbTraffic.ClusterIP), cluster));
            if (external is not null)
            {
                entries.Add((new(port.Id, SocketLbTraffic.ExternalInside), external));
            }
        }

        if (RenderOutside(port, nodeAddress) is { } outside)
        {
            entries.Add((new(port.Id, SocketLbTraffic.ExternalOutside), outside));
        }

        return entries;
    }

    /// <summary>
    /// The NodePort on <paramref name="nodeAddress"/>, the LoadBalancer IPs (but those with
    /// <c>loadBalancerSourceRanges</c>: nftables' firewall, which knows the source, keeps them), the externalIPs.
    /// </summary>
    private static List<SocketLbFrontend> ExternalFrontends(ServicePortPlan port, IPAddress? nodeAddress)
    {
        if ((port.NodePort is null || nodeAddress is null) && port.LoadBalancerIPs.IsEmpty && port.ExternalIPs.IsEmpty)
        {
            // Most ports (ClusterIP only): no list, no LINQ, twice per port in a full sync.
            return NoFrontends;
        }

        var frontends = new List<SocketLbFrontend>();
        if (port.NodePort is { } nodePort && nodeAddress is not null)
        {
            frontends.Add(new SocketLbFrontend(nodeAddress, nodePort));
        }

        if (port.SourceRanges.IsEmpty)
        {
            frontends.AddRange(port.LoadBalancerIPs.Select(a => new SocketLbFrontend(a, port.Port)));
        }

        frontends.AddRange(port.ExternalIPs.Where(a => !port.LoadBalancerIPs.Contains(a)).Select(a => new SocketLbFrontend(a, port.Port)));
        return frontends;
    }

    private static EquatableArray<SocketLbBackend> Backends(EquatableArray<ProxyEndpoint> endpoints)
    {
        var backends = ImmutableArray.CreateBuilder<SocketLbBackend>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            backends.Add(new SocketLbBackend(endpoint.Address, endpoint.Port));
        }

        return new(backends.MoveToImmutable());
    }

    /// <summary>
    /// The writes from what the maps hold to <paramref name="plan"/> with <paramref name="namespaces"/> (the cookies of
    /// the node's and its pods' network namespaces). <paramref name="full"/>, or a first change, writes everything
    /// (the kernel side then deletes what it holds beyond it: <see cref="SocketLbChange.Full"/>). Otherwise only the
    /// ports that differ from the last committed plan are rendered (<see cref="ServicePortPairs"/>: a port the planner
    /// carried over costs one comparison), so one Service's change costs the same whatever the node holds.
    /// </summary>
    public SocketLbChange Prepare(NodeServicePlan plan, IReadOnlySet<ulong> namespaces, bool full = false)
    {
        // The NodePort entries are keyed by the node's address: a new address renders everything again.
        full |= _empty || !Equals(_nodeAddress, plan.NodeAddress);
        var namespacesBefore = full ? new HashSet<ulong>() : _namespaces;
        var ids = new IdAllocator(_ports, _nextId);
        var updates = new Dictionary<SocketLbGroupId, (uint Id, SocketLbService Service)?>(full ? plan.Ports.Count : 0);
        var writes = new SocketLbWrites();

        foreach (var cookie in namespaces.Where(c => !namespacesBefore.Contains(c)).Order())
        {
            writes.AddNamespace(cookie);
        }

        if (full)
        {
            // A full change keeps each known port's id: the kernel's entries are overwritten in place, never missing.
            foreach (var port in plan.Ports)
            {
                foreach (var (groupId, service) in RenderAll(port, plan.NodeAddress))
                {
                    var id = _ports.TryGetValue(groupId, out var known) ? known.Id : ids.Next();
                    updates[groupId] = (id, service);
                    Write(id, null, service, writes, EntryMap(groupId));
                }
            }
        }
        else
        {
            foreach (var (old, now) in ServicePortPairs.Changed(_planPorts, plan.Ports))
            {
                var portId = (now ?? old)!.Id;
                var rendered = now is null ? [] : RenderAll(now, plan.NodeAddress);
                foreach (var traffic in Traffics)
                {
                    var groupId = new SocketLbGroupId(portId, traffic);
                    var service = rendered.FirstOrDefault(g => g.Id == groupId).Service;
                    if (_ports.TryGetValue(groupId, out var known))
                    {
                        if (service is null)
                        {
                            updates[groupId] = null;
                            Write(known.Id, known.Service, null, writes, EntryMap(groupId));
                        }
                        else if (!known.Service.Equals(service))
                        {
                            updates[groupId] = (known.Id, service);
                            Write(known.Id, known.Service, service, writes, EntryMap(groupId));
                        }
                    }
                    else if (service is not null)
                    {
                        var id = ids.Next();
                        updates[groupId] = (id, service);
                        Write(id, null, service, writes, EntryMap(groupId));
                    }
                }
            }
        }

        foreach (var cookie in namespacesBefore.Where(c => !namespaces.Contains(c)).Order())
        {
            writes.RemoveNamespace(cookie);
        }

        return new SocketLbChange
        {
            Full = full,
            Stages = writes.InStages(),
            Updates = updates,
            PlanPorts = plan.Ports,
            NodeAddress = plan.NodeAddress,
            Namespaces = namespaces.ToHashSet(),
            NextId = ids.NextFree,
        };
    }

    /// <summary>The kernel holds what <paramref name="change"/> wrote.</summary>
    public void Commit(SocketLbChange change)
    {
        if (change.Full)
        {
            _ports.Clear();
            _backendCount = 0;
        }

        foreach (var (id, entry) in change.Updates)
        {
            if (_ports.Remove(id, out var old))
            {
                _backendCount -= old.Service.Backends.Count;
            }

            if (entry is { } now)
            {
                _ports[id] = now;
                _backendCount += now.Service.Backends.Count;
            }
        }

        _planPorts = change.PlanPorts;
        _nodeAddress = change.NodeAddress;
        _namespaces = change.Namespaces;
        _nextId = change.NextId;
        _empty = false;
    }

    /// <summary>The kernel refused a change: what the maps hold is unknown, so the next change is full.</summary>
    public void Reset()
    {
        _ports.Clear();
        _planPorts = EquatableArray<ServicePortPlan>.Empty;
        _nodeAddress = null;
        _namespaces = new HashSet<ulong>();
        _nextId = 1;
        _backendCount = 0;
        _empty = true;
    }

    /// <summary>
    /// One Service port's writes from <paramref name="old"/> to <paramref name="now"/> (either null: added, removed):
    /// new slots and members, its entry (or, when its key changes or it goes, the old key's deletion), slots and
    /// members it no longer has; each in its group of <paramref name="writes"/>, straight into its batch.
    /// </summary>
    private static void Write(uint id, SocketLbService? old, SocketLbService? now, SocketLbWrites writes, SocketLbMap entries)
    {
        var oldBackends = old?.Backends ?? EquatableArray<SocketLbBackend>.Empty;
        var newBackends = now?.Backends ?? EquatableArray<SocketLbBackend>.Empty;
        var oldSlots = writes.OldSlots;
        oldSlots.Clear();
        for (var slot = 0; slot < oldBackends.Count; slot++)
        {
            oldSlots.TryAdd(SocketLbLayout.BackendBits(oldBackends[slot]), slot);
        }

        var newSlots = writes.NewSlots;
        newSlots.Clear();
        for (var slot = 0; slot < newBackends.Count; slot++)
        {
            var backend = newBackends[slot];
            var bits = SocketLbLayout.BackendBits(backend);
            if (slot >= oldBackends.Count || !oldBackends[slot].Equals(backend))
            {
                writes.AddBackend(id, slot, bits);
            }

            if (newSlots.TryAdd(bits, slot) && (!oldSlots.TryGetValue(bits, out var was) || was != slot))
            {
                writes.AddMember(id, bits, slot);
            }
        }

        var oldKeys = Keys(old, writes.OldKeys);
        var newKeys = Keys(now, writes.NewKeys);
        foreach (var key in oldKeys)
        {
            if (!newKeys.Contains(key))
            {
                writes.RemoveEntry(entries, key);
            }
        }

        if (now is not null)
        {
            var flags = (byte)((now.Reject ? SocketLbLayout.RejectFlag : 0) | (now.AffinitySeconds is null ? 0 : SocketLbLayout.AffinityFlag) | (now.Masquerade is null ? 0 : SocketLbLayout.MasqueradeFlag));
            var entryChanged = old is null || !SameEntry(old, now);
            foreach (var key in newKeys)
            {
                if (entryChanged || !oldKeys.Contains(key))
                {
                    writes.AddEntry(entries, key, id, newBackends.Count, flags, now.AffinitySeconds ?? 0, entries == SocketLbMap.External ? now.Masquerade : null);
                }
            }
        }

        for (var slot = newBackends.Count; slot < oldBackends.Count; slot++)
        {
            writes.RemoveBackend(id, slot);
        }

        foreach (var backend in oldSlots.Keys)
        {
            if (!newSlots.ContainsKey(backend))
            {
                writes.RemoveMember(id, backend);
            }
        }
    }

    /// <summary>A rendering's <c>services</c> keys (<see cref="SocketLbLayout.ServiceKeyBits"/>) into <paramref name="keys"/>, each once, in frontend order.</summary>
    private static List<ulong> Keys(SocketLbService? service, List<ulong> keys)
    {
        keys.Clear();
        if (service is not null)
        {
            foreach (var frontend in service.Frontends)
            {
                var key = SocketLbLayout.ServiceKeyBits(frontend.Address, frontend.Port, service.Protocol);
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }

    private static bool SameEntry(SocketLbService old, SocketLbService now) =>
        old.Backends.Count == now.Backends.Count && old.Reject == now.Reject && old.AffinitySeconds == now.AffinitySeconds && Equals(old.Masquerade, now.Masquerade);

    /// <summary>The map an entry's keys go to: connections from outside are the tc program's <c>nodeports</c>.</summary>
    private static SocketLbMap EntryMap(SocketLbGroupId id) => id.Traffic == SocketLbTraffic.ExternalOutside ? SocketLbMap.External : SocketLbMap.Services;

    /// <summary>Service ids: the lowest free one from the last committed next id on; the known ports' ids are looked at only when one is asked for.</summary>
    private sealed class IdAllocator(IReadOnlyDictionary<SocketLbGroupId, (uint Id, SocketLbService Service)> known, uint next)
    {
        private HashSet<uint>? _used;

        public uint NextFree => next;

        public uint Next()
        {
            _used ??= [.. known.Values.Select(p => p.Id)];
            while (_used.Contains(next))
            {
                next++;
            }

            _used.Add(next);
            return next;
        }
    }
}
