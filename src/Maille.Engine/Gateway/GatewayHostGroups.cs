namespace Maille.Engine.Gateways;

/// <summary>
/// A listener's matches grouped by hostname, each group in <see cref="GatewayPrecedence"/> order: exact hostnames by
/// dictionary, wildcards by their suffix (<c>*.example.com</c> under <c>.example.com</c>), and those for any host. A
/// request tries its exact hostname's group, then its wildcard suffixes from the longest, then the any-host group: the
/// hostname precedence, so the first match found is the one the precedence picks.
/// </summary>
internal sealed class GatewayHostGroups
{
    private readonly Dictionary<string, GatewayRouteEntry[]> _exact;
    private readonly Dictionary<string, GatewayRouteEntry[]>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly Dictionary<string, GatewayRouteEntry[]> _wildcards;
    private readonly Dictionary<string, GatewayRouteEntry[]>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;
    private readonly GatewayRouteEntry[] _any;

    public GatewayHostGroups(IEnumerable<GatewayRouteEntry> entries)
    {
        var sorted = entries.Order(GatewayPrecedence.Instance).ToList();
        _exact = sorted.Where(e => e.Hostname != "*" && !e.Hostname.StartsWith('*'))
            .GroupBy(e => e.Hostname, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _wildcards = sorted.Where(e => e.Hostname.StartsWith("*.", StringComparison.Ordinal))
            .GroupBy(e => e.Hostname[1..], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _any = [.. sorted.Where(e => e.Hostname == "*")];
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardLookup = _wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = sorted.Count;
    }

    public int Count { get; }

    /// <summary>Every match of the groups, each once.</summary>
    public IEnumerable<GatewayRouteEntry> Entries => _exact.Values.SelectMany(g => g).Concat(_wildcards.Values.SelectMany(g => g)).Concat(_any);

    /// <summary>The first match, in precedence order, of <paramref name="request"/> whose host is <paramref name="host"/> (normalized).</summary>
    public GatewayRouteEntry? Find(ReadOnlySpan<char> host, GatewayRequest request)
    {
        if (_exact.Count > 0 && _exactLookup.TryGetValue(host, out var exact) && First(exact, request) is { } e)
        {
            return e;
        }

        if (_wildcards.Count > 0)
        {
            // *.example.com covers one or more labels: try .b.example.com, then .example.com, then .com.
            for (var dot = host.IndexOf('.'); dot >= 0; dot = NextDot(host, dot))
            {
                if (_wildcardLookup.TryGetValue(host[dot..], out var group) && First(group, request) is { } w)
                {
                    return w;
                }
            }
        }

        return First(_any, request);
    }

    private static int NextDot(ReadOnlySpan<char> host, int dot)
    {
        var next = host[(dot + 1)..].IndexOf('.');
        return next < 0 ? -1 : dot + 1 + next;
    }

    private static GatewayRouteEntry? First(GatewayRouteEntry[] entries, GatewayRequest request)
    {
        foreach (var entry in entries)
        {
            if (entry.Matches(request))
            {
                return entry;
            }
        }

        return null;
    }
}
