using System.Net;

namespace Maille.Dataplane.Ebpf;

/// <summary>
/// The writes of one change, written straight into one packed <see cref="SocketLbBatch"/> per group, in an order that
/// never lets a program read a half-written Service: every new endpoint slot and member before any Service entry, every
/// entry before the slots and members no longer counted, namespaces first in and last out. Each group is one batch
/// for the kernel. Also holds the scratch collections <see cref="SocketLbState"/> reuses for every Service port.
/// </summary>
internal sealed class SocketLbWrites
{
    private readonly SocketLbBatch _namespaceAdds = new(SocketLbMap.Namespaces, false, SocketLbLayout.NamespaceKeySize, SocketLbLayout.NamespaceValueSize);
    private readonly SocketLbBatch _backendAdds = new(SocketLbMap.Backends, false, SocketLbLayout.BackendKeySize, SocketLbLayout.BackendValueSize);
    private readonly SocketLbBatch _memberAdds = new(SocketLbMap.Members, false, SocketLbLayout.MemberKeySize, SocketLbLayout.MemberValueSize);
    private readonly SocketLbBatch _serviceRemovals = new(SocketLbMap.Services, true, SocketLbLayout.ServiceKeySize, 0);
    private readonly SocketLbBatch _externalRemovals = new(SocketLbMap.External, true, SocketLbLayout.ServiceKeySize, 0);
    private readonly SocketLbBatch _services = new(SocketLbMap.Services, false, SocketLbLayout.ServiceKeySize, SocketLbLayout.ServiceValueSize);
    private readonly SocketLbBatch _externals = new(SocketLbMap.External, false, SocketLbLayout.ServiceKeySize, SocketLbLayout.ExternalValueSize);
    private readonly SocketLbBatch _backendRemovals = new(SocketLbMap.Backends, true, SocketLbLayout.BackendKeySize, 0);
    private readonly SocketLbBatch _memberRemovals = new(SocketLbMap.Members, true, SocketLbLayout.MemberKeySize, 0);
    private readonly SocketLbBatch _namespaceRemovals = new(SocketLbMap.Namespaces, true, SocketLbLayout.NamespaceKeySize, 0);

    /// <summary>Scratch for one Service port's slots, by endpoint (<see cref="SocketLbLayout.BackendBits"/>): before and after.</summary>
    public Dictionary<ulong, int> OldSlots { get; } = [];

    public Dictionary<ulong, int> NewSlots { get; } = [];

    /// <summary>Scratch for one Service port's <c>services</c> keys (<see cref="SocketLbLayout.ServiceKeyBits"/>), before and after.</summary>
    public List<ulong> OldKeys { get; } = [];

    public List<ulong> NewKeys { get; } = [];

    public void AddNamespace(ulong cookie)
    {
        var key = _namespaceAdds.Append(out var value);
        BitConverter.TryWriteBytes(key, cookie);
        BitConverter.TryWriteBytes(value, 1u);
    }

    public void RemoveNamespace(ulong cookie) => BitConverter.TryWriteBytes(_namespaceRemovals.Append(out _), cookie);

    public void AddBackend(uint id, int slot, ulong backend)
    {
        SocketLbLayout.WriteBackendKey(_backendAdds.Append(out var value), id, slot);
        BitConverter.TryWriteBytes(value, backend);
    }

    public void RemoveBackend(uint id, int slot) => SocketLbLayout.WriteBackendKey(_backendRemovals.Append(out _), id, slot);

    public void AddMember(uint id, ulong backend, int slot)
    {
        SocketLbLayout.WriteMemberKey(_memberAdds.Append(out var value), id, backend);
        BitConverter.TryWriteBytes(value, checked((uint)slot));
    }

    public void RemoveMember(uint id, ulong backend) => SocketLbLayout.WriteMemberKey(_memberRemovals.Append(out _), id, backend);

    /// <summary>One <c>services</c> or <c>nodeports</c> key (<paramref name="map"/>) of an entry and its value.</summary>
    public void AddEntry(SocketLbMap map, ulong key, uint id, int count, byte flags, int affinitySeconds, IPAddress? masquerade)
    {
        if (map == SocketLbMap.External)
        {
            BitConverter.TryWriteBytes(_externals.Append(out var value), key);
            SocketLbLayout.WriteExternalValue(value, id, count, flags, affinitySeconds, masquerade);
        }
        else
        {
            BitConverter.TryWriteBytes(_services.Append(out var value), key);
            SocketLbLayout.WriteServiceValue(value, id, count, flags, affinitySeconds);
        }
    }

    public void RemoveEntry(SocketLbMap map, ulong key) =>
        BitConverter.TryWriteBytes((map == SocketLbMap.External ? _externalRemovals : _serviceRemovals).Append(out _), key);

    /// <summary>
    /// The groups in stages, the empty ones left out: every batch of a stage goes to another map, and none of them must
    /// wait for another (the namespaces, slots and members before any entry; the entries' removals; the entries; the
    /// slots and members no longer counted; namespaces last out), so the kernel side may write a stage's batches at
    /// once. A key that moves from one entry to another (external addresses that join or leave their ClusterIP's
    /// entry) is overwritten, never deleted first: its removal is dropped.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SocketLbBatch>> InStages()
    {
        DropOverwritten(_serviceRemovals, _services);
        DropOverwritten(_externalRemovals, _externals);
        SocketLbBatch[][] stages =
        [
            [_namespaceAdds, _backendAdds, _memberAdds],
            [_serviceRemovals, _externalRemovals],
            [_services, _externals],
            [_backendRemovals, _memberRemovals],
            [_namespaceRemovals],
        ];
        return [.. stages.Select(s => s.Where(b => b.Count > 0).ToArray()).Where(s => s.Length > 0)];
    }

    private static void DropOverwritten(SocketLbBatch removals, SocketLbBatch updates)
    {
        if (removals.Count == 0 || updates.Count == 0)
        {
            return;
        }

        var written = new HashSet<ulong>(updates.Count);
        for (var i = 0; i < updates.Count; i++)
        {
            written.Add(BitConverter.ToUInt64(updates.Key(i)));
        }

        removals.RemoveWhere(written.Contains);
    }
}
