namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>Map writes rendered by a pure state (socket load balancer, pod policy), applied in their order, and a full sync's drift repair.</summary>
internal static class BpfMapWrites
{
    /// <summary>
    /// Writes each operation to its map in order: a value updates its key, none deletes it. Consecutive operations of
    /// one kind on one map go to the kernel as one batch (<see cref="BpfMap.UpdateMany"/>, <see cref="BpfMap.DeleteMany"/>),
    /// which keeps their order; the pure states group their writes by map so that the runs are long.
    /// </summary>
    public static void Apply<TMap>(IReadOnlyDictionary<TMap, BpfMap> maps, IEnumerable<(TMap Map, byte[] Key, byte[]? Value)> operations)
        where TMap : notnull
    {
        var comparer = EqualityComparer<TMap>.Default;
        var keys = new List<byte[]>();
        var values = new List<byte[]>();
        (TMap Map, bool Delete)? run = null;
        foreach (var (kind, key, value) in operations)
        {
            if (run is { } current && (!comparer.Equals(current.Map, kind) || current.Delete != value is null))
            {
                Flush(maps[current.Map], current.Delete, keys, values);
            }

            run = (kind, value is null);
            keys.Add(key);
            if (value is not null)
            {
                values.Add(value);
            }
        }

        if (run is { } last)
        {
            Flush(maps[last.Map], last.Delete, keys, values);
        }
    }

    /// <summary>Deletes every key of <paramref name="map"/> that <paramref name="wanted"/> does not accept.</summary>
    public static void DeleteOthers(BpfMap map, Func<byte[], bool> wanted)
    {
        foreach (var key in map.Keys().Where(k => !wanted(k)))
        {
            map.Delete(key);
        }
    }

    private static void Flush(BpfMap map, bool delete, List<byte[]> keys, List<byte[]> values)
    {
        if (delete)
        {
            map.DeleteMany(keys);
        }
        else
        {
            map.UpdateMany(keys, values);
        }

        keys.Clear();
        values.Clear();
    }
}
