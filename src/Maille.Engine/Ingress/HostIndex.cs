using System.Collections.Frozen;

namespace Maille.Engine.Ingresses;

/// <summary>
/// Values by Ingress host: an exact host (<c>shop.example</c>) first, else the wildcard host <c>*.rest</c> whose
/// <c>rest</c> follows the looked-up name's first label (an Ingress wildcard covers exactly one label, unlike the
/// Gateway API's suffix match). Names are normalised by <see cref="HostName.Normalize(ReadOnlySpan{char}, Span{char})"/>.
/// </summary>
public sealed class HostIndex<T>
    where T : class
{
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcard;

    /// <param name="values">Values by host as written; wildcard hosts start with <c>*.</c>.</param>
    public HostIndex(IEnumerable<KeyValuePair<string, T>> values)
    {
        var all = values.ToList();
        Exact = all.Where(v => !v.Key.StartsWith("*.", StringComparison.Ordinal)).ToFrozenDictionary(StringComparer.Ordinal);
        Wildcard = all.Where(v => v.Key.StartsWith("*.", StringComparison.Ordinal)).ToFrozenDictionary(v => v.Key[2..], v => v.Value, StringComparer.Ordinal);
        _exact = Exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = Wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Values by exact host.</summary>
    public FrozenDictionary<string, T> Exact { get; }

    /// <summary>Values by wildcard host, keyed by what follows <c>*.</c>.</summary>
    public FrozenDictionary<string, T> Wildcard { get; }

    /// <summary>The value for a Host header or server name, or null (also for an empty name).</summary>
    public T? Find(ReadOnlySpan<char> host)
    {
        Span<char> buffer = stackalloc char[256];
        var name = HostName.Normalize(host, buffer);
        if (name.IsEmpty)
        {
            return null;
        }

        if (_exact.TryGetValue(name, out var exact))
        {
            return exact;
        }

        var dot = name.IndexOf('.');
        return dot > 0 && _wildcard.TryGetValue(name[(dot + 1)..], out var wildcard) ? wildcard : null;
    }
}
