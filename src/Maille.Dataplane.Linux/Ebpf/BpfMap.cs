using Maille.Dataplane.Linux.Interop;

namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>One map of a loaded <see cref="BpfObject"/>, by descriptor (owned by the object: valid while it is open).</summary>
public sealed class BpfMap
{
    internal BpfMap(string name, int descriptor, int keySize)
    {
        Name = name;
        Descriptor = descriptor;
        KeySize = keySize;
    }

    public string Name { get; }

    internal int Descriptor { get; }

    public int KeySize { get; }

    /// <summary>Set when the kernel has no batch operations for this map's type: writes go one by one.</summary>
    private bool _noBatches;

    /// <summary>Creates or replaces <paramref name="key"/>'s value.</summary>
    public unsafe void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key, v = value)
        {
            var code = LibBpf.MapUpdate(Descriptor, k, v, 0);
            if (code < 0)
            {
                throw BpfError.FromCode($"update of map {Name}", code);
            }
        }
    }

    /// <summary>
    /// Creates or replaces each key's value, in order, as one <c>bpf_map_update_batch</c> call (the kernel still writes
    /// them one by one, as single updates would, so a program never sees them in another order; what the batch saves
    /// is a system call per element). A map type without batches (the LPM tries) gets single updates.
    /// </summary>
    public void UpdateMany(IReadOnlyList<byte[]> keys, IReadOnlyList<byte[]> values)
    {
        if (keys.Count != values.Count)
        {
            throw new ArgumentException($"{keys.Count} keys for {values.Count} values", nameof(values));
        }

        if (keys.Count > 0)
        {
            UpdateBatch(Pack(keys, KeySize), Pack(values, values[0].Length), keys.Count);
        }
    }

    /// <summary>
    /// <see cref="UpdateMany"/> on keys and values already packed end to end (<paramref name="count"/> of each, as the
    /// kernel's batch call reads them): no array per element, no copy.
    /// </summary>
    public unsafe void UpdateBatch(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, int count)
    {
        if (count == 0)
        {
            return;
        }

        if (keys.Length != count * KeySize || values.Length % count != 0)
        {
            throw new ArgumentException($"{keys.Length} bytes of keys and {values.Length} of values for {count} elements of map {Name}", nameof(keys));
        }

        var valueSize = values.Length / count;
        if (count > 1 && !_noBatches)
        {
            fixed (byte* k = keys, v = values)
            {
                var done = (uint)count;
                var code = LibBpf.MapUpdateBatch(Descriptor, k, v, ref done, 0);
                if (code == 0)
                {
                    return;
                }

                if (done > 0 || code is not (-524 or -95 or -22))
                {
                    throw BpfError.FromCode($"batch update of map {Name} (element {done} of {count})", code);
                }

                // No batches for this map type (or the first element is refused: the single update says why).
                _noBatches = code != -22;
            }
        }

        for (var i = 0; i < count; i++)
        {
            Update(keys.Slice(i * KeySize, KeySize), values.Slice(i * valueSize, valueSize));
        }
    }

    /// <summary>Deletes each key, in order, with <c>bpf_map_delete_batch</c> where the map type has it; keys it does not hold are no error.</summary>
    public void DeleteMany(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count > 0)
        {
            DeleteBatch(Pack(keys, KeySize), keys.Count);
        }
    }

    /// <summary><see cref="DeleteMany"/> on keys already packed end to end.</summary>
    public unsafe void DeleteBatch(ReadOnlySpan<byte> keys, int count)
    {
        if (keys.Length != count * KeySize)
        {
            throw new ArgumentException($"{keys.Length} bytes of keys for {count} elements of map {Name}", nameof(keys));
        }

        var done = 0;
        if (count > 1 && !_noBatches)
        {
            fixed (byte* k = keys)
            {
                while (done < count)
                {
                    var left = (uint)(count - done);
                    var code = LibBpf.MapDeleteBatch(Descriptor, k + (done * KeySize), ref left, 0);
                    if (code == 0)
                    {
                        return;
                    }

                    if (code == -2)
                    {
                        // The batch stops at a key the map does not hold: skip it and go on after it.
                        done += (int)left + 1;
                        continue;
                    }

                    if (left > 0 || code is not (-524 or -95 or -22))
                    {
                        throw BpfError.FromCode($"batch delete from map {Name} (element {done + left} of {count})", code);
                    }

                    _noBatches = code != -22;
                    break;
                }
            }
        }

        for (; done < count; done++)
        {
            Delete(keys.Slice(done * KeySize, KeySize));
        }
    }

    /// <summary>Deletes <paramref name="key"/>; a key that is not there is no error (the map holds what was asked).</summary>
    public unsafe void Delete(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            var code = LibBpf.MapDelete(Descriptor, k);
            if (code < 0 && code != -2)
            {
                throw BpfError.FromCode($"delete from map {Name}", code);
            }
        }
    }

    /// <summary>The value of <paramref name="key"/> (<paramref name="valueSize"/> bytes), or null when the map does not hold it.</summary>
    public unsafe byte[]? Lookup(ReadOnlySpan<byte> key, int valueSize)
    {
        var value = new byte[valueSize];
        fixed (byte* k = key, v = value)
        {
            var code = LibBpf.MapLookup(Descriptor, k, v);
            return code == 0 ? value : code == -2 ? null : throw BpfError.FromCode($"lookup in map {Name}", code);
        }
    }

    /// <summary>Every key the map holds now (a hash map's order).</summary>
    public unsafe List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        var current = new byte[KeySize];
        var next = new byte[KeySize];
        fixed (byte* c = current, n = next)
        {
            var code = LibBpf.MapNextKey(Descriptor, null, n);
            while (code == 0)
            {
                keys.Add((byte[])next.Clone());
                next.CopyTo(current, 0);
                code = LibBpf.MapNextKey(Descriptor, c, n);
            }
        }

        return keys;
    }

    public int Count() => Keys().Count;

    /// <summary>Deletes every key.</summary>
    public void Clear()
    {
        foreach (var key in Keys())
        {
            Delete(key);
        }
    }

    private static byte[] Pack(IReadOnlyList<byte[]> items, int size)
    {
        var packed = new byte[items.Count * size];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Length != size)
            {
                throw new ArgumentException($"element {i} has {items[i].Length} bytes where the map's have {size}", nameof(items));
            }

            items[i].CopyTo(packed, i * size);
        }

        return packed;
    }
}
