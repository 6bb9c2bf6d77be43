using System.Text.RegularExpressions;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// Attaches HTTPRoutes and GRPCRoutes to the listeners of Maille's Gateways, as the Gateway API specifies: a parentRef
/// selects listeners by sectionName and port; a listener takes the route when it is accepted, allows the route's kind
/// and namespace (From All, Same, or Selector on the namespace's labels) and shares a hostname with it. Collects each
/// route's parent statuses (Accepted, ResolvedRefs) and the compiled matches of every listener. A parentRef to a
/// Service (GAMMA) attaches the route to the Service's ports instead, for the waypoint (<see cref="ServiceTables"/>).
/// </summary>
internal sealed class RouteAttachments(
    ClusterState cluster,
    IReadOnlyDictionary<string, Gateway> gateways,
    IReadOnlyDictionary<string, List<ListenerCheck>> listeners,
    GatewayBackendResolver resolver)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<(string Gateway, string Listener), List<GatewayRouteEntry>> _http = [];
    private readonly Dictionary<(string Gateway, string Listener), List<GatewayRouteEntry>> _grpc = [];
    private readonly Dictionary<(string Gateway, string Listener), HashSet<string>> _attached = [];

    // The listeners each route loses to an older route of the other kind (kind/namespace/name, Gateway, listener → the
    // winner), decided before anything attaches.
    private readonly Dictionary<(string Route, string Gateway, string Listener), string> _conflicted = [];

    // GAMMA: the matches of the routes attached to each Service port, keyed by (namespace/name, port).
    private readonly Dictionary<(string Service, int Port), List<GatewayRouteEntry>> _serviceHttp = [];
    private readonly Dictionary<(string Service, int Port), List<GatewayRouteEntry>> _serviceGrpc = [];

    public List<RouteStatus> Statuses { get; } = [];

    public void AttachAll()
    {
        ResolveKindConflicts();
        foreach (var route in cluster.HttpRoutes)
        {
            var actions = route.Rules.Select(r => HttpAction(route.Namespace, r)).ToList();
            Attach(GatewayApi.HttpRouteKind, route.Meta, route.ParentRefs, route.Hostnames, actions, hostname => HttpEntries(route, actions, hostname), _http, _serviceHttp);
        }

        foreach (var route in cluster.GrpcRoutes)
        {
            var actions = route.Rules.Select(r => GrpcAction(route.Namespace, r)).ToList();
            Attach(GatewayApi.GrpcRouteKind, route.Meta, route.ParentRefs, route.Hostnames, actions, hostname => GrpcEntries(route, actions, hostname), _grpc, _serviceGrpc);
        }
    }

    /// <summary>How many routes attached to <paramref name="listener"/> (by allowedRoutes and parentRefs alone, hostnames aside).</summary>
    public int AttachedRoutes(Gateway gateway, GatewayListener listener) =>
        _attached.TryGetValue((gateway.Meta.QualifiedName, listener.Name), out var routes) ? routes.Count : 0;

    /// <summary>
    /// The route table of each Service with GAMMA routes (<c>namespace/name</c>): one listener per attached Service port,
    /// HTTP, without hostname (a request to a Service is matched on its path, method, headers and query alone).
    /// </summary>
    public Dictionary<string, GatewayRouteTable> ServiceTables() =>
        _serviceHttp.Keys.Concat(_serviceGrpc.Keys).Distinct().GroupBy(k => k.Service, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new GatewayRouteTable(g.Key, g.OrderBy(k => k.Port).Select(k => new GatewayListenerRoutes(
                ServicePortListener(k.Port),
                new GatewayHostGroups(_serviceHttp.GetValueOrDefault(k) ?? []),
                new GatewayHostGroups(_serviceGrpc.GetValueOrDefault(k) ?? [])))),
            StringComparer.Ordinal);

    /// <summary>The listener a Service port stands for in its route table: named after the port, plain HTTP, any host.</summary>
    internal static GatewayListener ServicePortListener(int port) => new()
    {
        Name = "port-" + port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Port = port,
        Protocol = "HTTP",
    };

    public GatewayListenerRoutes RoutesOf(Gateway gateway, GatewayListener listener)
    {
        var key = (gateway.Meta.QualifiedName, listener.Name);
        return new GatewayListenerRoutes(listener, new GatewayHostGroups(_http.GetValueOrDefault(key) ?? []), new GatewayHostGroups(_grpc.GetValueOrDefault(key) ?? []));
    }

    private void Attach(
        string kind,
        ObjectMeta meta,
        EquatableArray<GatewayParentRef> parentRefs,
        EquatableArray<string> hostnames,
        IReadOnlyList<GatewayRuleAction> actions,
        Func<string, IEnumerable<GatewayRouteEntry>> entriesFor,
        Dictionary<(string, string), List<GatewayRouteEntry>> table,
        Dictionary<(string, int), List<GatewayRouteEntry>> serviceTable)
    {
        var parents = new List<RouteParentStatus>();
        var resolvedRefs = ResolvedRefs(actions);
        foreach (var parentRef in parentRefs)
        {
            var parentNamespace = parentRef.Namespace ?? meta.Namespace!;
            if (parentRef.Group == "" && parentRef.Kind == "Service")
            {
                parents.Add(AttachToService(meta, parentRef, parentNamespace, resolvedRefs, entriesFor, serviceTable));
                continue;
            }

            if (GatewayOf(parentRef, meta.Namespace!) is not { } gateway)
            {
                continue; // not a Gateway of Maille's: its controller, if any, writes this parent's status
            }

            var (candidates, allowed) = Listeners(kind, meta.Namespace!, parentRef, gateway);
            GatewayCondition accepted;
            if (candidates.Count == 0)
            {
                accepted = GatewayCondition.False("Accepted", "NoMatchingParent", parentRef.SectionName is not null
                    ? $"Gateway {gateway.Meta.QualifiedName} has no listener {parentRef.SectionName}{(parentRef.Port is { } p ? $" on port {p}" : "")}"
                    : $"Gateway {gateway.Meta.QualifiedName} has no listener on port {parentRef.Port}");
            }
            else
            {
                var matched = 0;
                var lost = new List<string>();
                foreach (var check in allowed)
                {
                    var key = (gateway.Meta.QualifiedName, check.Listener.Name);
                    GetOrAdd(_attached, key).Add($"{kind}/{meta.QualifiedName}");
                    var shared = SharedHostnames(check.Listener, hostnames);
                    if (shared.Count == 0)
                    {
                        continue;
                    }

                    if (_conflicted.TryGetValue(($"{kind}/{meta.QualifiedName}", gateway.Meta.QualifiedName, check.Listener.Name), out var winner))
                    {
                        lost.Add($"listener {check.Listener.Name} took {winner}");
                        continue;
                    }

                    matched++;
                    if (check.Programmed)
                    {
                        GetOrAdd(table, key).AddRange(shared.SelectMany(entriesFor));
                    }
                }

                accepted = allowed.Count == 0
                    ? GatewayCondition.False("Accepted", "NotAllowedByListeners", "no listener this parentRef selects allows this route (its kind or namespace)")
                    : matched > 0
                        ? GatewayCondition.True("Accepted", "Accepted", "Accepted")
                        : lost.Count > 0
                            ? GatewayCondition.False("Accepted", "Conflicted",
                                $"a listener accepts only one of an HTTPRoute and a GRPCRoute whose hostnames intersect, the older (then the first by namespace/name): {string.Join("; ", lost)}")
                            : GatewayCondition.False("Accepted", "NoMatchingListenerHostname", "no hostname of the route intersects a listener's");
            }

            parents.Add(new RouteParentStatus(parentRef, parentNamespace, [accepted, resolvedRefs]));
        }

        if (parents.Count > 0)
        {
            Statuses.Add(new RouteStatus(kind, meta.QualifiedName, parents));
        }
    }

    /// <summary>The Gateway of Maille's a parentRef names (a parentRef without a namespace is in its route's), or null.</summary>
    private Gateway? GatewayOf(GatewayParentRef parentRef, string routeNamespace) =>
        parentRef.Group == GatewayApi.Group && parentRef.Kind == GatewayApi.GatewayKind
            ? gateways.GetValueOrDefault($"{parentRef.Namespace ?? routeNamespace}/{parentRef.Name}")
            : null;

    /// <summary>The listeners a parentRef selects (sectionName, port), and those of them that take the route (accepted, its kind, its namespace).</summary>
    private (List<ListenerCheck> Selected, List<ListenerCheck> Allowed) Listeners(string kind, string routeNamespace, GatewayParentRef parentRef, Gateway gateway)
    {
        var selected = listeners[gateway.Meta.QualifiedName]
            .Where(l => (parentRef.SectionName is null || l.Listener.Name == parentRef.SectionName) && (parentRef.Port is null || l.Listener.Port == parentRef.Port))
            .ToList();
        return (selected, [.. selected.Where(l => l.Accepted && l.SupportedKinds.Any(k => k.Kind == kind) && NamespaceAllowed(l.Listener, gateway, routeNamespace))]);
    }

    /// <summary>The hostnames a route serves on a listener: its own that intersect the listener's, or the listener's (<c>*</c>: any) when it has none.</summary>
    private static List<string> SharedHostnames(GatewayListener listener, EquatableArray<string> hostnames) =>
        hostnames.IsEmpty
            ? [listener.Hostname ?? "*"]
            : [.. hostnames.Select(h => GatewayHostnames.Intersect(listener.Hostname, h)).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The GRPCRoute specification: when an HTTPRoute and a GRPCRoute attach to the same listener and their hostnames
    /// there intersect, the listener accepts exactly one of them, the oldest by creation timestamp, then the first by
    /// <c>namespace/name</c>. Each listener's routes are taken in that order; one whose hostnames intersect a route of
    /// the other kind already kept loses the listener (<see cref="_conflicted"/>). A route without a timestamp (a file
    /// read offline) counts as the newest.
    /// </summary>
    private void ResolveKindConflicts()
    {
        var routes = cluster.HttpRoutes.Select(r => (Kind: GatewayApi.HttpRouteKind, r.Meta, r.ParentRefs, r.Hostnames))
            .Concat(cluster.GrpcRoutes.Select(r => (Kind: GatewayApi.GrpcRouteKind, r.Meta, r.ParentRefs, r.Hostnames)));
        var onListeners = new Dictionary<(string Gateway, string Listener), Dictionary<string, (string Kind, ObjectMeta Meta, HashSet<string> Shared)>>();
        foreach (var route in routes)
        {
            foreach (var parentRef in route.ParentRefs)
            {
                if (GatewayOf(parentRef, route.Meta.Namespace!) is not { } gateway)
                {
                    continue;
                }

                foreach (var check in Listeners(route.Kind, route.Meta.Namespace!, parentRef, gateway).Allowed)
                {
                    var shared = SharedHostnames(check.Listener, route.Hostnames);
                    if (shared.Count > 0)
                    {
                        var routesThere = GetOrAdd(onListeners, (gateway.Meta.QualifiedName, check.Listener.Name));
                        var id = $"{route.Kind}/{route.Meta.QualifiedName}";
                        (routesThere.TryGetValue(id, out var known) ? known : routesThere[id] = (route.Kind, route.Meta, [])).Shared.UnionWith(shared);
                    }
                }
            }
        }

        foreach (var (listener, routesThere) in onListeners)
        {
            var kept = new List<(string Kind, ObjectMeta Meta, HashSet<string> Shared)>();
            var byAge = routesThere.Values
                .OrderBy(r => r.Meta.CreationTimestamp is null)
                .ThenBy(r => r.Meta.CreationTimestamp)
                .ThenBy(r => r.Meta.QualifiedName, StringComparer.Ordinal);
            foreach (var route in byAge)
            {
                var rival = kept.FirstOrDefault(k => k.Kind != route.Kind && k.Shared.Any(a => route.Shared.Any(b => HostnamesIntersect(a, b))));
                if (rival.Meta is not null)
                {
                    _conflicted[($"{route.Kind}/{route.Meta.QualifiedName}", listener.Gateway, listener.Listener)] = $"{rival.Kind} {rival.Meta.QualifiedName}";
                }
                else
                {
                    kept.Add(route);
                }
            }
        }
    }

    private static bool HostnamesIntersect(string a, string b) => a == "*" || b == "*" || GatewayHostnames.Intersect(a, b) is not null;

    /// <summary>
    /// GAMMA (the Gateway API for the mesh): a parentRef of group <c>""</c> and kind <c>Service</c> attaches the route to
    /// that Service's ports — the one its <c>port</c> or <c>sectionName</c> (a port's name) selects, else every TCP port.
    /// Only producer routes are supported (the route in the Service's namespace); a consumer route, in the namespace of
    /// the clients it would apply to, is refused with UnsupportedValue. The route's hostnames play no part: a request to
    /// a Service is matched on its path, method, headers and query. The status is written as the waypoint's controller.
    /// </summary>
    private RouteParentStatus AttachToService(
        ObjectMeta meta,
        GatewayParentRef parentRef,
        string parentNamespace,
        GatewayCondition resolvedRefs,
        Func<string, IEnumerable<GatewayRouteEntry>> entriesFor,
        Dictionary<(string, int), List<GatewayRouteEntry>> serviceTable)
    {
        var name = $"{parentNamespace}/{parentRef.Name}";
        GatewayCondition accepted;
        if (parentNamespace != meta.Namespace)
        {
            accepted = GatewayCondition.False("Accepted", "UnsupportedValue",
                $"a route in namespace {meta.Namespace} for Service {name} is a consumer route, which Maille does not support; write it in namespace {parentNamespace} (a producer route)");
        }
        else if (!cluster.ServicesByName.TryGetValue(name, out var service))
        {
            accepted = GatewayCondition.False("Accepted", "NoMatchingParent", $"Service {name} not found");
        }
        else
        {
            var ports = service.Ports
                .Where(p => p.Protocol == Protocol.TCP && (parentRef.Port is null || p.Port == parentRef.Port) && (parentRef.SectionName is null || p.Name == parentRef.SectionName))
                .Select(p => p.Port)
                .Distinct()
                .ToList();
            if (ports.Count == 0)
            {
                accepted = GatewayCondition.False("Accepted", "NoMatchingParent", parentRef.SectionName is not null
                    ? $"Service {name} has no TCP port named {parentRef.SectionName}{(parentRef.Port is { } p ? $" with port {p}" : "")}"
                    : $"Service {name} has no TCP port {parentRef.Port}");
            }
            else
            {
                foreach (var port in ports)
                {
                    GetOrAdd(serviceTable, (name, port)).AddRange(entriesFor("*"));
                }

                accepted = GatewayCondition.True("Accepted", "Accepted", "Accepted");
            }
        }

        return new RouteParentStatus(parentRef, parentNamespace, [accepted, resolvedRefs], MeshApi.WaypointControllerName);
    }

    /// <summary>ResolvedRefs of the whole route: False with the reason of its first backend that does not resolve.</summary>
    private static GatewayCondition ResolvedRefs(IReadOnlyList<GatewayRuleAction> actions) =>
        actions.SelectMany(a => a.Backends).FirstOrDefault(b => b.RefProblem is not null) is { } bad
            ? GatewayCondition.False("ResolvedRefs", bad.RefProblem!, bad.Reason)
            : GatewayCondition.True("ResolvedRefs", "ResolvedRefs", "All references resolved");

    private bool NamespaceAllowed(GatewayListener listener, Gateway gateway, string routeNamespace) =>
        listener.AllowedRoutes.Admits(gateway.Namespace, routeNamespace, cluster.NamespacesByName.GetValueOrDefault(routeNamespace)?.Meta.Labels);

    private GatewayRuleAction HttpAction(string ns, HttpRouteRule rule)
    {
        var action = Action(ns, GatewayApi.HttpRouteKind, rule.Filters, rule.BackendRefs) with
        {
            RequestTimeout = NonZero(GatewayDuration.TryParse(rule.RequestTimeout)),
            BackendRequestTimeout = NonZero(GatewayDuration.TryParse(rule.BackendRequestTimeout)),
            Retry = rule.Retry,
        };
        return action.Refusal is null && action.Redirect is null && rule.BackendRefs.IsEmpty
            ? action with { Refusal = (500, "the rule has no backendRefs") }
            : action;
    }

    private GatewayRuleAction GrpcAction(string ns, GrpcRouteRule rule)
    {
        var action = Action(ns, GatewayApi.GrpcRouteKind, rule.Filters, rule.BackendRefs);
        return action.Refusal is null && rule.BackendRefs.IsEmpty ? action with { Refusal = (500, "the rule has no backendRefs") } : action;
    }

    private GatewayRuleAction Action(string ns, string kind, EquatableArray<HttpRouteFilter> filters, EquatableArray<GatewayBackendRef> backendRefs)
    {
        var unsupported = filters.FirstOrDefault(f => !GatewayRuleAction.IsSupported(f.Type));
        return new GatewayRuleAction
        {
            Filters = [.. filters],
            Backends = [.. backendRefs.Select(b => resolver.Resolve(kind, ns, b))],
            Refusal = unsupported is null ? null : (500, $"filter {unsupported.Type} is not supported by Maille's Gateway"),
        };
    }

    private static TimeSpan? NonZero(TimeSpan? timeout) => timeout == TimeSpan.Zero ? null : timeout;

    private static IEnumerable<GatewayRouteEntry> HttpEntries(HttpRoute route, List<GatewayRuleAction> actions, string hostname)
    {
        for (var r = 0; r < route.Rules.Count; r++)
        {
            var rule = route.Rules[r];
            for (var m = 0; m < rule.Matches.Count; m++)
            {
                var match = rule.Matches[m];
                yield return new GatewayRouteEntry
                {
                    RouteKind = GatewayApi.HttpRouteKind,
                    Route = route.Meta.QualifiedName,
                    Created = route.Meta.CreationTimestamp,
                    RuleIndex = r,
                    MatchIndex = m,
                    Hostname = hostname,
                    PathType = match.Path.Type,
                    PathValue = match.Path.Value,
                    PathRegex = match.Path.Type == "RegularExpression" ? Compile($"^(?:{match.Path.Value})$") : null,
                    Method = match.Method,
                    Headers = ValueMatches(match.Headers),
                    QueryParams = ValueMatches(match.QueryParams),
                    Action = actions[r],
                };
            }
        }
    }

    private static IEnumerable<GatewayRouteEntry> GrpcEntries(GrpcRoute route, List<GatewayRuleAction> actions, string hostname)
    {
        for (var r = 0; r < route.Rules.Count; r++)
        {
            var rule = route.Rules[r];
            IReadOnlyList<GrpcRouteMatch> matches = rule.Matches.IsEmpty ? [new GrpcRouteMatch()] : [.. rule.Matches];
            for (var m = 0; m < matches.Count; m++)
            {
                var match = matches[m];
                var regex = match.MethodType == "RegularExpression";
                yield return new GatewayRouteEntry
                {
                    RouteKind = GatewayApi.GrpcRouteKind,
                    Route = route.Meta.QualifiedName,
                    Created = route.Meta.CreationTimestamp,
                    RuleIndex = r,
                    MatchIndex = m,
                    Hostname = hostname,
                    GrpcService = string.IsNullOrEmpty(match.Service) ? null : match.Service,
                    GrpcMethod = string.IsNullOrEmpty(match.Method) ? null : match.Method,
                    GrpcRegex = regex ? Compile($"^(?:{(string.IsNullOrEmpty(match.Service) ? "[^/]+" : match.Service)})/(?:{(string.IsNullOrEmpty(match.Method) ? "[^/]+" : match.Method)})$") : null,
                    Headers = ValueMatches(match.Headers),
                    Action = actions[r],
                };
            }
        }
    }

    /// <summary>Only the first of several matches on one name counts (header names without case), as the spec says.</summary>
    private static IReadOnlyList<CompiledValueMatch> ValueMatches(EquatableArray<HttpValueMatch> matches) =>
        [.. matches.DistinctBy(m => m.Name.ToUpperInvariant()).Select(m => new CompiledValueMatch(m.Name, m.Value, m.Type == "RegularExpression" ? Compile($"^(?:{m.Value})$") : null))];

    /// <summary>A regular expression that does not compile never matches.</summary>
    private static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return new Regex("(?!)", RegexOptions.None, RegexTimeout);
        }
    }

    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> dictionary, TKey key)
        where TKey : notnull
        where TValue : new()
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            dictionary[key] = value = new TValue();
        }

        return value;
    }
}
