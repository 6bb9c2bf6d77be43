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
    private IReadOnlyDictionary<ServicePortId, (uint Id, SocketLbService Service)> _ports = new Dictionary<ServicePortId, (uint, SocketLbService)>();
    private IReadOnlySet<ulong> _namespaces = new HashSet<ulong>();
    private uint _nextId = 1;
    private bool _empty = true;

    public int ServicePortCount => _ports.Count;

    public int BackendCount => _ports.Values.Sum(p => p.Service.Backends.Count);

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
    /// (the kernel side then deletes what it holds beyond it: <see cref="SocketLbChange.Full"/>).
    /// </summary>
    public SocketLbChange Prepare(NodeServicePlan plan, IReadOnlySet<ulong> namespaces, bool full = false)
    {
        full |= _empty;
        var before = full ? new Dictionary<ServicePortId, (uint Id, SocketLbService Service)>() : _ports;
        var namespacesBefore = full ? new HashSet<ulong>() : _namespaces;
        var nextId = _nextId;
        var ports = new Dictionary<ServicePortId, (uint Id, SocketLbService Service)>();
        // A full change keeps each known port's id: the kernel's entries are overwritten in place, never missing.
        var used = new HashSet<uint>(_ports.Values.Select(p => p.Id));
        var adds = new List<SocketLbOperation>();
        var entries = new List<SocketLbOperation>();
        var removals = new List<SocketLbOperation>();
        var entryRemovals = new List<SocketLbOperation>();

        adds.AddRange(namespaces.Where(c => !namespacesBefore.Contains(c)).Order().Select(c => Update(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(c), SocketLbLayout.NamespaceValue())));
        foreach (var port in plan.Ports)
        {
            if (Render(port) is not { } service)
            {
                continue;
            }

            if (before.TryGetValue(port.Id, out var old))
            {
                ports[port.Id] = (old.Id, service);
                if (!old.Service.Equals(service))
                {
                    Write(old.Id, old.Service, service, adds, entries, removals, entryRemovals);
                }
            }
            else if (full && _ports.TryGetValue(port.Id, out var known))
            {
                ports[port.Id] = (known.Id, service);
                Write(known.Id, null, service, adds, entries, removals, entryRemovals);
            }
            else
            {
                while (used.Contains(nextId))
                {
                    nextId++;
                }

                used.Add(nextId);
                ports[port.Id] = (nextId, service);
                Write(nextId, null, service, adds, entries, removals, entryRemovals);
            }
        }

        foreach (var (number, service) in before.Where(p => !ports.ContainsKey(p.Key)).Select(p => p.Value).OrderBy(p => p.Id))
        {
            Write(number, service, null, adds, entries, removals, entryRemovals);
        }

        removals.AddRange(namespacesBefore.Where(c => !namespaces.Contains(c)).Order().Select(c => Delete(SocketLbMap.Namespaces, SocketLbLayout.NamespaceKey(c))));
        return new SocketLbChange
        {
            Full = full,
            Operations = [.. adds, .. entryRemovals, .. entries, .. removals],
            Ports = ports,
            Namespaces = namespaces.ToHashSet(),
            NextId = nextId,
        };
    }

    /// <summary>The kernel holds what <paramref name="change"/> wrote.</summary>
    public void Commit(SocketLbChange change)
    {
        _ports = change.Ports;
        _namespaces = change.Namespaces;
        _nextId = change.NextId;
        _empty = false;
    }

    /// <summary>The kernel refused a change: what the maps hold is unknown, so the next change is full.</summary>
    public void Reset()
    {
        _ports = new Dictionary<ServicePortId, (uint, SocketLbService)>();
        _namespaces = new HashSet<ulong>();
        _nextId = 1;
        _empty = true;
    }

    /// <summary>
    /// One Service port's writes from <paramref name="old"/> to <paramref name="now"/> (either null: added, removed):
    /// new slots and members in <paramref name="adds"/>, its entry in <paramref name="entries"/> (or, when its key
    /// changes or it goes, the old key's deletion in <paramref name="entryRemovals"/>), slots and members it no longer
    /// has in <paramref name="removals"/>.
    /// </summary>
    private static void Write(uint id, SocketLbService? old, SocketLbService? now, List<SocketLbOperation> adds, List<SocketLbOperation> entries, List<SocketLbOperation> removals, List<SocketLbOperation> entryRemovals)
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
                adds.Add(Update(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot), SocketLbLayout.BackendValue(backend)));
            }

            if (newSlots.TryAdd(backend, slot) && (!oldSlots.TryGetValue(backend, out var was) || was != slot))
            {
                adds.Add(Update(SocketLbMap.Members, SocketLbLayout.MemberKey(id, backend), SocketLbLayout.MemberValue(slot)));
            }
        }

        var oldKey = old is null ? null : SocketLbLayout.ServiceKey(old.ClusterIP, old.Port, old.Protocol);
        var newKey = now is null ? null : SocketLbLayout.ServiceKey(now.ClusterIP, now.Port, now.Protocol);
        if (oldKey is not null && (newKey is null || !oldKey.AsSpan().SequenceEqual(newKey)))
        {
            entryRemovals.Add(Delete(SocketLbMap.Services, oldKey));
        }

        if (now is not null && newKey is not null && (old is null || !SameEntry(old, now) || !oldKey!.AsSpan().SequenceEqual(newKey)))
        {
            var flags = (byte)((now.Reject ? SocketLbLayout.RejectFlag : 0) | (now.AffinitySeconds is null ? 0 : SocketLbLayout.AffinityFlag));
            entries.Add(Update(SocketLbMap.Services, newKey, SocketLbLayout.ServiceValue(id, newBackends.Count, flags, now.AffinitySeconds ?? 0)));
        }

        for (var slot = newBackends.Count; slot < oldBackends.Count; slot++)
        {
            removals.Add(Delete(SocketLbMap.Backends, SocketLbLayout.BackendKey(id, slot)));
        }

        removals.AddRange(oldSlots.Keys.Where(b => !newSlots.ContainsKey(b)).Select(b => Delete(SocketLbMap.Members, SocketLbLayout.MemberKey(id, b))));
    }

    private static bool SameEntry(SocketLbService old, SocketLbService now) =>
        old.Backends.Count == now.Backends.Count && old.Reject == now.Reject && old.AffinitySeconds == now.AffinitySeconds;

    private static SocketLbOperation Update(SocketLbMap map, byte[] key, byte[] value) => new(map, key, value);

    private static SocketLbOperation Delete(SocketLbMap map, byte[] key) => new(map, key, null);
}
