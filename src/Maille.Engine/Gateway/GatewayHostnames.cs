namespace Maille.Engine.Gateways;

/// <summary>
/// Hostnames as the Gateway API compares them. A wildcard <c>*.example.com</c> matches one or more labels before
/// <c>.example.com</c> (so <c>a.b.example.com</c>, but not <c>example.com</c>); a null hostname matches everything.
/// </summary>
internal static class GatewayHostnames
{
    /// <summary>True when the concrete <paramref name="host"/> (lower-case, no port) is matched by <paramref name="pattern"/>.</summary>
    public static bool Matches(string? pattern, ReadOnlySpan<char> host)
    {
        if (pattern is null)
        {
            return true;
        }

        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.SequenceEqual(pattern);
        }

        var suffix = pattern.AsSpan(1);
        return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The hostname requests must have to reach a route through a listener: the more specific of the two when one
    /// covers the other (<c>*.example.com</c> and <c>foo.example.com</c> give <c>foo.example.com</c>), null when they
    /// do not intersect. A null hostname (none given) covers everything; the result is then the other one, or
    /// <c>*</c> when neither is given.
    /// </summary>
    public static string? Intersect(string? listener, string route)
    {
        if (listener is null)
        {
            return route;
        }

        if (route == "*")
        {
            return listener;
        }

        if (Covers(listener, route))
        {
            return route;
        }

        return Covers(route, listener) ? listener : null;
    }

    /// <summary>True when every host <paramref name="specific"/> matches is matched by <paramref name="general"/>.</summary>
    private static bool Covers(string general, string specific)
    {
        if (general == specific)
        {
            return true;
        }

        if (!general.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        // *.example.com covers foo.example.com and *.foo.example.com, not example.com.
        var suffix = general[1..];
        var rest = specific.StartsWith("*.", StringComparison.Ordinal) ? specific[1..] : specific;
        return rest.Length > suffix.Length && rest.EndsWith(suffix, StringComparison.Ordinal);
    }

    /// <summary>The precedence of a hostname: characters of a non-wildcard hostname first, then characters of any.</summary>
    public static (int Exact, int Any) Specificity(string hostname) =>
        hostname == "*" ? (0, 0) : hostname.StartsWith('*') ? (0, hostname.Length) : (hostname.Length, hostname.Length);
}
