using System.Globalization;
using Maille.Engine.Ingresses;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// The compiled routing of one Gateway: built by <see cref="GatewayController"/>, then asked per request by the proxy
/// and by <c>maille trace</c>. Immutable and safe to share between threads.
/// <para>
/// A request is routed in three steps. <b>Listener</b>: among the programmed listeners on the request's port whose
/// protocol fits its scheme, the one whose hostname matches the Host most specifically (exact, then the longest
/// wildcard, then none). <b>Match</b>: among the routes attached to that listener, the first match in
/// <see cref="GatewayPrecedence"/> order that the request meets (gRPC calls try GRPCRoutes, then HTTPRoutes).
/// <b>Action</b>: the rule's redirect, or its backends: one is drawn by weight (weight 0 is never drawn), and the
/// request gets 200 from a ready one, 503 from one without a ready endpoint, 500 from an invalid one.
/// </para>
/// </summary>
public sealed class GatewayRouteTable
{
    private readonly Dictionary<int, GatewayListenerRoutes[]> _ports;

    /// <summary>Each listener's answer when no match of its routes takes the request, made once.</summary>
    private readonly Dictionary<GatewayListenerRoutes, GatewayDecision> _noMatch = new(ReferenceEqualityComparer.Instance);

    internal GatewayRouteTable(string gateway, IEnumerable<GatewayListenerRoutes> listeners)
    {
        Gateway = gateway;
        _ports = listeners.GroupBy(l => l.Listener.Port).ToDictionary(
            g => g.Key,
            g => g.OrderBy(l => l.Listener.Hostname is null ? (0, 0) : GatewayHostnames.Specificity(l.Listener.Hostname), Comparer<(int, int)>.Create((a, b) => b.CompareTo(a))).ToArray());

        // Per request, only what depends on it is made: the decisions of plain matches are made here, once.
        foreach (var routes in _ports.Values.SelectMany(l => l))
        {
            _noMatch[routes] = NotFound(routes.Listener.Name, $"no rule of a route attached to listener {routes.Listener.Name} matches");
            foreach (var entry in routes.Http.Entries.Concat(routes.Grpc.Entries))
            {
                entry.Prepared = Prepare(routes.Listener, entry);
            }
        }
    }

    /// <summary><c>namespace/name</c> of the Gateway.</summary>
    public string Gateway { get; }

    /// <summary>How many matches the table holds, over every listener.</summary>
    public int Count => _ports.Values.Sum(p => p.Sum(l => l.Http.Count + l.Grpc.Count));

    /// <summary>
    /// What the Gateway does with <paramref name="request"/>. <paramref name="draw"/> in [0, total weight) picks the
    /// backend as the proxy's random draw would (the first backend with weight for 0).
    /// </summary>
    public GatewayDecision Match(GatewayRequest request, int draw = 0)
    {
        Span<char> buffer = stackalloc char[256];
        var host = HostName.Normalize(request.Host.AsSpan(), buffer);
        if (!_ports.TryGetValue(request.EffectivePort, out var listeners))
        {
            return NotFound(null, $"no listener of Gateway {Gateway} on port {request.EffectivePort}");
        }

        var protocol = request.Scheme == "https" ? "HTTPS" : "HTTP";
        var chosen = Choose(listeners, protocol, host);
        if (chosen is null)
        {
            return NotFound(null, $"no {protocol} listener of Gateway {Gateway} on port {request.EffectivePort} matches host {host}");
        }

        var entry = (request.IsGrpc ? chosen.Grpc.Find(host, request) : null) ?? chosen.Http.Find(host, request);
        if (entry is null)
        {
            return _noMatch[chosen];
        }

        return entry.Prepared is { } prepared
            ? prepared[prepared.Length == 1 ? 0 : Pick(entry.Action.Backends, draw)]
            : Decide(request, chosen.Listener, entry, host.ToString(), draw);
    }

    /// <summary>
    /// The programmed listener on <paramref name="port"/> of <paramref name="protocol"/> (<c>HTTP</c>, <c>HTTPS</c>)
    /// that takes <paramref name="host"/>, as <see cref="Match"/> chooses it; the proxy asks it for the TLS server name,
    /// to present that listener's certificate. Null when none does.
    /// </summary>
    public GatewayListener? ListenerFor(int port, string protocol, string? host)
    {
        if (!_ports.TryGetValue(port, out var listeners))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[256];
        return Choose(listeners, protocol, HostName.Normalize((host ?? "").AsSpan(), buffer))?.Listener;
    }

    private static GatewayListenerRoutes? Choose(GatewayListenerRoutes[] listeners, string protocol, ReadOnlySpan<char> host)
    {
        foreach (var listener in listeners)
        {
            if (listener.Listener.Protocol == protocol && GatewayHostnames.Matches(listener.Listener.Hostname, host))
            {
                return listener;
            }
        }

        return null;
    }

    private GatewayDecision NotFound(string? listener, string reason) => new() { Gateway = Gateway, Listener = listener, Status = 404, Reason = reason };

    /// <summary>The decisions of <paramref name="entry"/> when they do not depend on the request (see <see cref="GatewayRouteEntry.Prepared"/>).</summary>
    private GatewayDecision[]? Prepare(GatewayListener listener, GatewayRouteEntry entry)
    {
        var action = entry.Action;
        if (action.Redirect is not null || action.Rewrite is not null || action.Backends.Any(b => b.Redirect is not null || b.Rewrite is not null))
        {
            return null;
        }

        var decision = Matched(listener, entry);
        var where = entry.Where;
        if (action.Refusal is var (status, why))
        {
            return [decision with { Status = status, Reason = $"{where}: {why}" }];
        }

        return action.Backends.Sum(b => (long)b.Weight) == 0
            ? [decision with { Status = 500, Reason = $"{where}: every backendRef has weight 0" }]
            : [.. action.Backends.Select(b => decision with { Backend = b, Status = b.Status, Reason = $"{where} → {b.Reason}", Filters = WithBackendFilters(action, b) })];
    }

    /// <summary>The rule's filters, then the chosen backendRef's own.</summary>
    private static IReadOnlyList<HttpRouteFilter> WithBackendFilters(GatewayRuleAction action, GatewayBackend backend) =>
        backend.Filters.Count == 0 ? action.Filters : [.. action.Filters, .. backend.Filters];

    /// <summary>The index of the backend a draw in [0, total weight) picks (weight 0 is never picked); the total is above 0.</summary>
    private static int Pick(IReadOnlyList<GatewayBackend> backends, int draw)
    {
        long total = 0;
        for (var i = 0; i < backends.Count; i++)
        {
            total += backends[i].Weight;
        }

        var pick = Math.Clamp(draw, 0, total - 1);
        for (var i = 0; i < backends.Count; i++)
        {
            if (pick < backends[i].Weight)
            {
                return i;
            }

            pick -= backends[i].Weight;
        }

        throw new InvalidOperationException("a draw below the total weight always picks a backend");
    }

    private GatewayDecision Matched(GatewayListener listener, GatewayRouteEntry entry) => new()
    {
        Gateway = Gateway,
        Listener = listener.Name,
        RouteKind = entry.RouteKind,
        Route = entry.Route,
        Rule = entry.RuleIndex,
        Backends = entry.Action.Backends,
        Filters = entry.Action.Filters,
        RequestTimeout = entry.Action.RequestTimeout,
        BackendRequestTimeout = entry.Action.BackendRequestTimeout,
        Retry = entry.Action.Retry,
        Status = 0,
        Reason = "",
    };

    /// <summary>The decision of a match whose answer depends on the request: a redirect, or a URLRewrite.</summary>
    private GatewayDecision Decide(GatewayRequest request, GatewayListener listener, GatewayRouteEntry entry, string host, int draw)
    {
        var action = entry.Action;
        var decision = Matched(listener, entry);
        var where = entry.Where;
        if (action.Redirect is { } redirect)
        {
            return decision with { Status = redirect.StatusCode, Reason = $"{where}: RequestRedirect", Location = RedirectLocation(request, listener, entry, redirect, host) };
        }

        if (action.Refusal is var (status, why))
        {
            return decision with { Status = status, Reason = $"{where}: {why}" };
        }

        if (action.Backends.Sum(b => (long)b.Weight) == 0)
        {
            return decision with { Status = 500, Reason = $"{where}: every backendRef has weight 0" };
        }

        var backend = action.Backends[Pick(action.Backends, draw)];
        var filters = WithBackendFilters(action, backend);
        if (backend.Redirect is { } backendRedirect && backend.Status != 500)
        {
            return decision with { Backend = backend, Filters = filters, Status = backendRedirect.StatusCode, Reason = $"{where} → {backend.Service}: its backendRef's RequestRedirect", Location = RedirectLocation(request, listener, entry, backendRedirect, host) };
        }

        var (path, rewrittenHost) = Rewritten(request, entry, backend);
        return decision with { Backend = backend, Filters = filters, Status = backend.Status, Reason = $"{where} → {backend.Reason}", BackendPath = path, BackendHost = rewrittenHost };
    }

    /// <summary>
    /// The Location of a RequestRedirect: the scheme, host and path the filter gives, else the request's; the port the
    /// filter gives, else the well-known port of a changed scheme, else the listener's; left out when it is the
    /// scheme's well-known port.
    /// </summary>
    internal static string RedirectLocation(GatewayRequest request, GatewayListener listener, GatewayRouteEntry entry, HttpRequestRedirect redirect, string host)
    {
        var scheme = redirect.Scheme ?? request.Scheme;
        var port = redirect.Port ?? (redirect.Scheme is not null ? WellKnownPort(scheme) : listener.Port);
        var path = redirect.Path is { } modifier ? RewritePath(request.Path, entry, modifier) : request.Path;
        var authority = redirect.Hostname ?? host;
        if (port != WellKnownPort(scheme))
        {
            authority += ":" + port.ToString(CultureInfo.InvariantCulture);
        }

        return $"{scheme}://{authority}{path}{(request.Query.Length > 0 ? "?" + request.Query : "")}";
    }

    /// <summary>The path after a ReplaceFullPath, or a ReplacePrefixMatch of the matched PathPrefix (on whole path elements).</summary>
    internal static string RewritePath(string path, GatewayRouteEntry entry, HttpPathModifier modifier)
    {
        if (modifier.Type == "ReplaceFullPath")
        {
            return modifier.ReplaceFullPath ?? path;
        }

        var prefix = entry.PathType == "PathPrefix" ? entry.PathValue.TrimEnd('/') : "";
        var rest = path.Length >= prefix.Length ? path[prefix.Length..] : "";
        var replacement = (modifier.ReplacePrefixMatch ?? "/").TrimEnd('/');
        var result = replacement + rest;
        return result.Length == 0 ? "/" : result.StartsWith('/') ? result : "/" + result;
    }

    /// <summary>
    /// The path and Host the backend receives after the URLRewrite of the chosen backendRef, else the rule's (the
    /// request's when there is none).
    /// </summary>
    internal static (string Path, string? Host) Rewritten(GatewayRequest request, GatewayRouteEntry entry, GatewayBackend backend) =>
        (backend.Rewrite ?? entry.Action.Rewrite) is { } rewrite
            ? (rewrite.Path is { } p ? RewritePath(request.Path, entry, p) : request.Path, rewrite.Hostname)
            : (request.Path, null);

    private static int WellKnownPort(string scheme) => scheme == "https" ? 443 : 80;
}
