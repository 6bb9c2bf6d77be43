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
    private readonly Dictionary<ServicePortId, (uint Id, SocketLbService Service)> _ports = [];
    private EquatableArray<ServicePortPlan> _planPorts = EquatableArray<ServicePortPlan>.Empty;
    private IReadOnlySet<ulong> _namespaces = new HashSet<ulong>();
    private uint _nextId = 1;
    private int _backendCount;
    private bool _empty = true;

    public int ServicePortCount => _ports.Count;

    public int BackendCount => _backendCount;

    public int NamespaceCount => _namespaces.Count;

    /// <summary>
    /// What a Service port becomes on this node, or null when it gets nothing (SCTP: the lab's kernel has none).
    /// ClusterIP traffic uses the plan's internal endpoints (this node's under internalTrafficPolicy Local; the
    /// serving terminating ones when none is ready); a port with no endpoint anywhere rejects.
    /// </summary>
    public static SocketLbService? Render(ServicePortPlan port) => port.KernelSupported
        ? new SocketLbService(
            port.ClusterIP,
            port.Port,
            port.Protocol,
            Reject: port.InternalEndpoints.IsEmpty && port.WhenEmpty == EmptyServiceVerdict.Reject,
            port.AffinityTimeoutSeconds,
            new(port.InternalEndpoints.Select(e => new SocketLbBackend(e.Address, e.Port))))
        : null;

    /// <summary>
    /// The writes from what the maps hold to <paramref name="plan"/> with <paramref name="namespaces"/> (the cookies of
    /// the node's and its pods' network namespaces). <paramref name="full"/>, or a first change, writes everything
    /// (the kernel side then deletes what it holds beyond it: <see cref="SocketLbChange.Full"/>). Otherwise only the
    /// ports that differ from the last committed plan are rendered (<see cref="ServicePortPairs"/>: a port the planner
    /// carried over costs one comparison), so one Service's change costs the same whatever the node holds.
    /// </summary>
    public SocketLbChange Prepare(NodeServicePlan plan, IReadOnlySet<ulong> namespaces, bool full = false)
    {
        full |= _empty;
        var namespacesBefore = full ? new HashSet<ulong>() : _namespaces;
        var ids = new IdAllocator(_ports, _nextId);
        var updates = new Dictionary<ServicePortId, (uint Id, SocketLbService Service)?>();
        var writes = new Writes();

        writes.NamespaceAdds.AddRange(namespaces.Where(c => !namespacesBefore.Contains(c)).Order().Select(c => Update(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(c), SocketLbLayout.NamespaceValue())));
        if (full)
        {
            // A full change keeps each known port's id: the kernel's entries are overwritten in place, never missing.
            foreach (var port in plan.Ports)
            {
                if (Render(port) is not { } service)
                {
                    continue;
                }

                var id = _ports.TryGetValue(port.Id, out var known) ? known.Id : ids.Next();
                updates[port.Id] = (id, service);
                Write(id, null, service, writes);
            }
        }
        else
        {
            foreach (var (old, now) in ServicePortPairs.Changed(_planPorts, plan.Ports))
            {
                var portId = (now ?? old)!.Id;
                var service = now is null ? null : Render(now);
                if (_ports.TryGetValue(portId, out var known))
                {
                    if (service is null)
                    {
                        updates[portId] = null;
                        Write(known.Id, known.Service, null, writes);
                    }
                    else if (!known.Service.Equals(service))
                    {
                        updates[portId] = (known.Id, service);
                        Write(known.Id, known.Service, service, writes);
                    }
                }
                else if (service is not null)
                {
                    var id = ids.Next();
                    updates[portId] = (id, service);
                    Write(id, null, service, writes);
                }
            }
        }

        writes.NamespaceRemovals.AddRange(namespacesBefore.Where(c => !namespaces.Contains(c)).Order().Select(c => Delete(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(c))));
        return new SocketLbChange
        {
            Full = full,
            Operations = writes.InOrder(),
            Updates = updates,
            PlanPorts = plan.Ports,
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
        _namespaces = change.Namespaces;
        _nextId = change.NextId;
        _empty = false;
    }

    /// <summary>The kernel refused a change: what the maps hold is unknown, so the next change is full.</summary>
    public void Reset()
    {
        _ports.Clear();
        _planPorts = EquatableArray<ServicePortPlan>.Empty;
        _namespaces = new HashSet<ulong>();
        _nextId = 1;
        _backendCount = 0;
        _empty = true;
    }

    /// <summary>
    /// One Service port's writes from <paramref name="old"/> to <paramref name="now"/> (either null: added, removed):
    /// new slots and members, its entry (or, when its key changes or it goes, the old key's deletion), slots and
    /// members it no longer has; each in its group of <paramref name="writes"/>.
    /// </summary>
    private static void Write(uint id, SocketLbService? old, SocketLbService? now, Writes writes)
    {
        var oldBackends = old?.Backends ?? EquatableArray<SocketLbBackend>.Empty;
        var newBackends = now?.Backends ?? EquatableArray<SocketLbBackend>.Empty;
        var oldSlots = new Dictionary<SocketLbBackend, int>();
        for (var slot = 0; slot < oldBackends.Count; slot++)
        {
            oldSlots.TryAdd(oldBackends[slot], slot);
        }

        var newSlots = new Dictionary<SocketLbBackend, int>();
        for (var slot = 0; slot < newBackends.Count; slot++)
        {
            var backend = newBackends[slot];
            if (slot >= oldBackends.Count || !oldBackends[slot].Equals(backend))
            {
                writes.BackendAdds.Add(Update(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot), SocketLbLayout.BackendValue(backend)));
            }

            if (newSlots.TryAdd(backend, slot) && (!oldSlots.TryGetValue(backend, out var was) || was != slot))
            {
                writes.MemberAdds.Add(Update(SocketLbMap.Members, SocketLbLayout.MemberKey(id, backend), SocketLbLayout.MemberValue(slot)));
            }
        }

        var oldKey = old is null ? null : SocketLbLayout.ServiceKey(old.ClusterIP, old.Port, old.Protocol);
        var newKey = now is null ? null : SocketLbLayout.ServiceKey(now.ClusterIP, now.Port, now.Protocol);
        if (oldKey is not null && (newKey is null || !oldKey.AsSpan().SequenceEqual(newKey)))
        {
            writes.EntryRemovals.Add(Delete(SocketLbMap.Services, oldKey));
        }

        if (now is not null && newKey is not null && (old is null || !SameEntry(old, now) || !oldKey!.AsSpan().SequenceEqual(newKey)))
        {
            var flags = (byte)((now.Reject ? SocketLbLayout.RejectFlag : 0) | (now.AffinitySeconds is null ? 0 : SocketLbLayout.AffinityFlag));
            writes.Entries.Add(Update(SocketLbMap.Services, newKey, SocketLbLayout.ServiceValue(id, newBackends.Count, flags, now.AffinitySeconds ?? 0)));
        }

        for (var slot = newBackends.Count; slot < oldBackends.Count; slot++)
        {
            writes.BackendRemovals.Add(Delete(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot)));
        }

        writes.MemberRemovals.AddRange(oldSlots.Keys.Where(b => !newSlots.ContainsKey(b)).Select(b => Delete(SocketLbMap.Members, SocketLbLayout.MemberKey(id, b))));
    }

    private static bool SameEntry(SocketLbService old, SocketLbService now) =>
        old.Backends.Count == now.Backends.Count && old.Reject == now.Reject && old.AffinitySeconds == now.AffinitySeconds;

    private static SocketLbOperation Update(SocketLbMap map, byte[] key, byte[] value) => new(map, key, value);

    private static SocketLbOperation Delete(SocketLbMap map, byte[] key) => new(map, key, null);

    /// <summary>
    /// The writes of one change, grouped by map so that each group is one batch for the kernel, in an order that never
    /// lets a program read a half-written Service: every new endpoint slot and member before any Service entry, every
    /// entry before the slots and members no longer counted, namespaces first in and last out.
    /// </summary>
    private sealed class Writes
    {
        public List<SocketLbOperation> NamespaceAdds { get; } = [];

        public List<SocketLbOperation> BackendAdds { get; } = [];

        public List<SocketLbOperation> MemberAdds { get; } = [];

        public List<SocketLbOperation> EntryRemovals { get; } = [];

        public List<SocketLbOperation> Entries { get; } = [];

        public List<SocketLbOperation> BackendRemovals { get; } = [];

        public List<SocketLbOperation> MemberRemovals { get; } = [];

        public List<SocketLbOperation> NamespaceRemovals { get; } = [];

        public IReadOnlyList<SocketLbOperation> InOrder() =>
            [.. NamespaceAdds, .. BackendAdds, .. MemberAdds, .. EntryRemovals, .. Entries, .. BackendRemovals, .. MemberRemovals, .. NamespaceRemovals];
    }

    /// <summary>Service ids: the lowest free one from the last committed next id on; the known ports' ids are looked at only when one is asked for.</summary>
    private sealed class IdAllocator(IReadOnlyDictionary<ServicePortId, (uint Id, SocketLbService Service)> known, uint next)
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
