namespace Maille.Dataplane.Ebpf;

/// <summary>
/// Numbers for names (chains, segments, counter slots) across renders: a name keeps its number while it is used, and a
/// new name never takes a number the maps held before this render (whose entries are deleted only after the new ones
/// are written). 0 is never given: it means "none" in the maps.
/// </summary>
internal sealed class PodPolicyIds(IReadOnlyDictionary<string, uint> before)
{
    private readonly HashSet<uint> _taken = [.. before.Values];
    private readonly Dictionary<string, uint> _used = new(StringComparer.Ordinal);
    private uint _next = 1;

    public IReadOnlyDictionary<string, uint> Used => _used;

    public uint Of(string name)
    {
        if (_used.TryGetValue(name, out var id))
        {
            return id;
        }

        if (!before.TryGetValue(name, out id))
        {
            while (_taken.Contains(_next))
            {
                _next++;
            }

            id = _next;
            _taken.Add(id);
        }

        _used[name] = id;
        return id;
    }
}
