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
}
