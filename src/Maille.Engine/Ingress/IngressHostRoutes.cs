using System.Collections.Frozen;

namespace Maille.Engine.Ingresses;

/// <summary>
/// The paths of one host (or of every rule without host), merged from every Ingress that has them, each path kept
/// once (the winner of <see cref="IngressPrecedence"/>). Looking a request path up costs one dictionary probe for
/// Exact and one per path element for Prefix, longest first, with no allocation:
/// <list type="bullet">
/// <item><c>Exact</c> matches the request path byte for byte (case-sensitive, a trailing slash counts). It is tried
/// first: it can only match the whole request path, which no Prefix can beat and a Prefix can only tie.</item>
/// <item><c>Prefix</c> (and <c>ImplementationSpecific</c>) is stored without its trailing slash (<c>/</c> as the empty
/// string) and matches when it equals the request path or the request path continues it with <c>/</c>; so the
/// request path's own element boundaries are the only candidates, tried from the longest.</item>
/// </list>
/// </summary>
public sealed class IngressHostRoutes
{
    private readonly FrozenDictionary<string, IngressRoute>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenDictionary<string, IngressRoute>.AlternateLookup<ReadOnlySpan<char>> _prefix;

    public IngressHostRoutes(IReadOnlyDictionary<string, IngressRoute> exact, IReadOnlyDictionary<string, IngressRoute> prefix)
    {
        Exact = exact.ToFrozenDictionary(StringComparer.Ordinal);
        Prefix = prefix.ToFrozenDictionary(StringComparer.Ordinal);
        _exact = Exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefix = Prefix.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Exact paths as written.</summary>
    public FrozenDictionary<string, IngressRoute> Exact { get; }

    /// <summary>Prefix paths without their trailing slash (<c>/</c> is the empty string).</summary>
    public FrozenDictionary<string, IngressRoute> Prefix { get; }

    /// <summary>The path that takes <paramref name="path"/> (the request path without query), or null.</summary>
    public IngressRoute? Match(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            path = "/";
        }

        if (_exact.TryGetValue(path, out var exact))
        {
            return exact;
        }

        var candidate = path;
        if (candidate[^1] != '/' && _prefix.TryGetValue(candidate, out var whole))
        {
            return whole;
        }

        while (candidate.LastIndexOf('/') is var slash and >= 0)
        {
            candidate = candidate[..slash];
            if (_prefix.TryGetValue(candidate, out var prefix))
            {
                return prefix;
            }
        }

        return null;
    }
}
