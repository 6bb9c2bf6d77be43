namespace Maille.Dataplane.Linux.Ebpf;

/// <summary>Map writes rendered by a pure state (socket load balancer, pod policy), applied in their order, and a full sync's drift repair.</summary>
internal static class BpfMapWrites
{
    /// <summary>Writes each operation to its map in order: a value updates its key, none deletes it.</summary>
    public static void Apply<TMap>(IReadOnlyDictionary<TMap, BpfMap> maps, IEnumerable<(TMap Map, byte[] Key, byte[]? Value)> operations)
        where TMap : notnull
    {
        foreach (var (kind, key, value) in operations)
        {
            if (value is not null)
            {
                maps[kind].Update(key, value);
            }
            else
            {
                maps[kind].Delete(key);
            }
        }
    }

    /// <summary>Deletes every key of <paramref name="map"/> whose hex (upper case) is not in <paramref name="wanted"/>.</summary>
    public static void DeleteOthers(BpfMap map, Func<string, bool> wanted)
    {
        foreach (var key in map.Keys().Where(k => !wanted(Convert.ToHexString(k))))
        {
            map.Delete(key);
        }
    }
}
