namespace Maille.Dataplane.Ebpf;

/// <summary>
/// One run of a change's writes: to one map, all updates or all deletes, with the keys (and values) packed end to end
/// as the kernel's batch calls read them (<c>bpf_map_update_batch</c>, <c>bpf_map_delete_batch</c>). The state writes
/// each element straight into these buffers: 200,000 writes are two arrays per map, not 400,000 small ones.
/// </summary>
public sealed class SocketLbBatch
{
    private byte[] _keys;
    private byte[] _values;

    internal SocketLbBatch(SocketLbMap map, bool isDelete, int keySize, int valueSize)
    {
        Map = map;
        IsDelete = isDelete;
        KeySize = keySize;
        ValueSize = isDelete ? 0 : valueSize;
        _keys = [];
        _values = [];
    }

    public SocketLbMap Map { get; }

    public bool IsDelete { get; }

    public int KeySize { get; }

    /// <summary>The bytes of one value (0 for deletes).</summary>
    public int ValueSize { get; }

    public int Count { get; private set; }

    /// <summary><see cref="Count"/> keys of <see cref="KeySize"/> bytes, end to end.</summary>
    public ReadOnlySpan<byte> Keys => _keys.AsSpan(0, Count * KeySize);

    /// <summary><see cref="Count"/> values of <see cref="ValueSize"/> bytes, end to end (empty for deletes).</summary>
    public ReadOnlySpan<byte> Values => _values.AsSpan(0, Count * ValueSize);

    public ReadOnlySpan<byte> Key(int index) => _keys.AsSpan(index * KeySize, KeySize);

    public ReadOnlySpan<byte> Value(int index) => _values.AsSpan(index * ValueSize, ValueSize);

    /// <summary>
    /// Room for one more element: its key's bytes and (for an update) its value's, for the caller to fill. The buffers
    /// double as they fill.
    /// </summary>
    internal Span<byte> Append(out Span<byte> value)
    {
        if ((Count + 1) * KeySize > _keys.Length)
        {
            var capacity = Math.Max(64, Count * 2);
            Array.Resize(ref _keys, capacity * KeySize);
            Array.Resize(ref _values, capacity * ValueSize);
        }

        var key = _keys.AsSpan(Count * KeySize, KeySize);
        value = _values.AsSpan(Count * ValueSize, ValueSize);
        Count++;
        return key;
    }

    /// <summary>Drops the elements whose 8-byte key (a <c>services</c> or <c>nodeports</c> key as a number) <paramref name="drop"/> names; the others keep their order.</summary>
    internal void RemoveWhere(Func<ulong, bool> drop)
    {
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            if (drop(BitConverter.ToUInt64(Key(i))))
            {
                continue;
            }

            _keys.AsSpan(i * KeySize, KeySize).CopyTo(_keys.AsSpan(kept * KeySize));
            _values.AsSpan(i * ValueSize, ValueSize).CopyTo(_values.AsSpan(kept * ValueSize));
            kept++;
        }

        Count = kept;
    }

    /// <summary>The elements one by one (for tests and messages; the kernel I/O reads <see cref="Keys"/> and <see cref="Values"/>).</summary>
    public IEnumerable<SocketLbOperation> Operations()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new SocketLbOperation(Map, Key(i).ToArray(), IsDelete ? null : Value(i).ToArray());
        }
    }
}
