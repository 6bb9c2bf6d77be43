using System.Globalization;
using Maille.Engine.Gateways;
using Maille.Model;

namespace Maille.Kube;

/// <summary>
/// The Gateway API objects as the API server serves them (KubernetesClient has no types for them): maps with sorted
/// keys, as kubectl prints them, spec as read (defaults applied) and status as Maille's controller computes it
/// (<see cref="GatewayPlan"/>). Conditions carry <c>observedGeneration</c>, and <c>lastTransitionTime</c> when the
/// object has a <c>creationTimestamp</c> (offline there is no clock to take it from).
/// </summary>
public static class GatewayObjectWriter
{
    private const string ApiVersion = GatewayApi.Group + "/v1";

    public static object Write(GatewayClass gatewayClass, GatewayPlan plan)
    {
        var status = plan.Classes.FirstOrDefault(c => c.Name == gatewayClass.Name);
        return Object(ApiVersion, GatewayApi.GatewayClassKind, gatewayClass.Meta,
            Map(("controllerName", gatewayClass.ControllerName), ("description", gatewayClass.Description)),
            status is null ? null : Map(("conditions", Conditions(status.Conditions, gatewayClass.Meta))));
    }

    public static object Write(Model.Gateway gateway, GatewayPlan plan)
    {
        var status = plan.GatewayStatusOf(gateway.Meta.QualifiedName);
        var spec = Map(
            ("gatewayClassName", gateway.GatewayClassName),
            ("addresses", gateway.RequestedAddresses.IsEmpty ? null : gateway.RequestedAddresses.Select(a => Map(("type", "IPAddress"), ("value", a))).ToList()),
            ("listeners", gateway.Listeners.Select(l => Map(
                ("name", l.Name),
                ("hostname", l.Hostname),
                ("port", l.Port),
                ("protocol", l.Protocol),
                ("tls", l.TlsMode is null ? null : Map(("mode", l.TlsMode), ("certificateRefs", l.CertificateRefs.Select(c => Map(("group", c.Group), ("kind", c.Kind), ("name", c.Name), ("namespace", c.Namespace))).ToList()))),
                ("allowedRoutes", Map(
                    ("namespaces", Map(("from", l.AllowedRoutes.From), ("selector", Selector(l.AllowedRoutes.Selector)))),
                    ("kinds", l.AllowedRoutes.Kinds.IsEmpty ? null : l.AllowedRoutes.Kinds.Select(Kind).ToList()))))).ToList()));
        return Object(ApiVersion, GatewayApi.GatewayKind, gateway.Meta, spec, status is null ? null : Map(
            ("addresses", status.Addresses.Select(a => Map(("type", "IPAddress"), ("value", a))).ToList()),
            ("conditions", Conditions(status.Conditions, gateway.Meta)),
            ("listeners", status.Listeners.Select(l => Map(
                ("name", l.Name),
                ("supportedKinds", l.SupportedKinds.Select(Kind).ToList()),
                ("attachedRoutes", l.AttachedRoutes),
                ("conditions", Conditions(l.Conditions, gateway.Meta)))).ToList())));
    }

    public static object Write(HttpRoute route, GatewayPlan plan) => Object(ApiVersion, GatewayApi.HttpRouteKind, route.Meta,
        RouteSpec(route.ParentRefs, route.Hostnames, route.Rules.Select(r => Map(
            ("name", r.Name),
            ("matches", r.Matches.Select(m => Map(
                ("path", Map(("type", m.Path.Type), ("value", m.Path.Value))),
                ("headers", ValueMatches(m.Headers)),
                ("queryParams", ValueMatches(m.QueryParams)),
                ("method", m.Method))).ToList()),
            ("filters", Filters(r.Filters)),
            ("backendRefs", BackendRefs(r.BackendRefs)),
            ("timeouts", r.RequestTimeout is null && r.BackendRequestTimeout is null ? null : Map(("request", r.RequestTimeout), ("backendRequest", r.BackendRequestTimeout))),
            ("retry", r.Retry is not { } retry ? null : Map(("codes", retry.Codes.IsEmpty ? null : retry.Codes.ToList()), ("attempts", retry.Attempts), ("backoff", retry.Backoff))))).ToList()),
        RouteStatus(plan.RouteStatusOf(GatewayApi.HttpRouteKind, route.Meta.QualifiedName), route.Meta));

    public static object Write(GrpcRoute route, GatewayPlan plan) => Object(ApiVersion, GatewayApi.GrpcRouteKind, route.Meta,
        RouteSpec(route.ParentRefs, route.Hostnames, route.Rules.Select(r => Map(
            ("name", r.Name),
            ("matches", r.Matches.IsEmpty ? null : r.Matches.Select(m => Map(
                ("method", m.HasMethod ? Map(("type", m.MethodType), ("service", m.Service), ("method", m.Method)) : null),
                ("headers", ValueMatches(m.Headers)))).ToList()),
            ("filters", Filters(r.Filters)),
            ("backendRefs", BackendRefs(r.BackendRefs)))).ToList()),
        RouteStatus(plan.RouteStatusOf(GatewayApi.GrpcRouteKind, route.Meta.QualifiedName), route.Meta));

    public static object Write(ReferenceGrant grant) => Object(GatewayApi.Group + "/v1beta1", GatewayApi.ReferenceGrantKind, grant.Meta,
        Map(
            ("from", grant.From.Select(f => Map(("group", f.Group), ("kind", f.Kind), ("namespace", f.Namespace))).ToList()),
            ("to", grant.To.Select(t => Map(("group", t.Group), ("kind", t.Kind), ("name", t.Name))).ToList())),
        null);

    private static SortedDictionary<string, object?> Object(string apiVersion, string kind, ObjectMeta meta, object spec, object? status)
    {
        var result = Map(("apiVersion", apiVersion), ("kind", kind), ("metadata", KubeObjectWriter.Meta(kind, meta, withSpec: true)), ("spec", spec));
        if (status is not null)
        {
            result["status"] = status;
        }

        return result;
    }

    private static SortedDictionary<string, object?> RouteSpec(EquatableArray<GatewayParentRef> parents, EquatableArray<string> hostnames, List<SortedDictionary<string, object?>> rules) => Map(
        ("parentRefs", parents.Select(ParentRef).ToList()),
        ("hostnames", hostnames.IsEmpty ? null : hostnames.ToList()),
        ("rules", rules));

    private static SortedDictionary<string, object?>? RouteStatus(Engine.Gateways.RouteStatus? status, ObjectMeta meta) => status is null ? null : Map(
        ("parents", status.Parents.Select(p => Map(
            ("parentRef", ParentRef(p.ParentRef with { Namespace = p.ParentNamespace })),
            ("controllerName", p.ControllerName),
            ("conditions", Conditions(p.Conditions, meta)))).ToList()));

    private static SortedDictionary<string, object?> ParentRef(GatewayParentRef p) => Map(
        ("group", p.Group), ("kind", p.Kind), ("namespace", p.Namespace), ("name", p.Name), ("sectionName", p.SectionName), ("port", p.Port));

    private static List<SortedDictionary<string, object?>> Conditions(IEnumerable<GatewayCondition> conditions, ObjectMeta meta) =>
        [.. conditions.Select(c => Map(
            ("type", c.Type),
            ("status", c.Status ? "True" : "False"),
            ("reason", c.Reason),
            ("message", c.Message),
            ("observedGeneration", Math.Max(meta.Generation, 1)),
            ("lastTransitionTime", meta.CreationTimestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))))];

    private static SortedDictionary<string, object?> Kind(GatewayRouteKind kind) => Map(("group", kind.Group), ("kind", kind.Kind));

    internal static SortedDictionary<string, object?>? Selector(LabelSelector? selector) => selector is null ? null : Map(
        ("matchLabels", selector.MatchLabels.Count == 0 ? null : new SortedDictionary<string, string>(selector.MatchLabels.ToDictionary(), StringComparer.Ordinal)),
        ("matchExpressions", selector.MatchExpressions.IsEmpty ? null : selector.MatchExpressions.Select(e => Map(("key", e.Key), ("operator", e.Operator.ToString()), ("values", e.Values.ToList()))).ToList()));

    private static List<SortedDictionary<string, object?>>? ValueMatches(EquatableArray<HttpValueMatch> matches) =>
        matches.IsEmpty ? null : [.. matches.Select(m => Map(("type", m.Type), ("name", m.Name), ("value", m.Value)))];

    private static List<SortedDictionary<string, object?>>? BackendRefs(EquatableArray<GatewayBackendRef> refs) =>
        refs.IsEmpty ? null : [.. refs.Select(BackendRef)];

    private static SortedDictionary<string, object?> BackendRef(GatewayBackendRef b) => Map(
        ("group", b.Group), ("kind", b.Kind), ("name", b.Name), ("namespace", b.Namespace), ("port", b.Port), ("weight", b.Weight), ("filters", Filters(b.Filters)));

    private static List<SortedDictionary<string, object?>>? Filters(EquatableArray<HttpRouteFilter> filters) =>
        filters.IsEmpty ? null : [.. filters.Select(f => Map(
            ("type", f.Type),
            ("requestHeaderModifier", HeaderModifier(f.RequestHeaderModifier)),
            ("responseHeaderModifier", HeaderModifier(f.ResponseHeaderModifier)),
            ("requestRedirect", f.RequestRedirect is { } r ? Map(("scheme", r.Scheme), ("hostname", r.Hostname), ("path", PathModifier(r.Path)), ("port", r.Port), ("statusCode", r.StatusCode)) : null),
            ("urlRewrite", f.UrlRewrite is { } w ? Map(("hostname", w.Hostname), ("path", PathModifier(w.Path))) : null),
            ("requestMirror", f.RequestMirror is { } m ? Map(("backendRef", BackendRef(m.BackendRef with { Weight = 1 })), ("percent", m.Percent)) : null)))];

    private static SortedDictionary<string, object?>? HeaderModifier(HttpHeaderModifier? modifier) => modifier is null ? null : Map(
        ("set", modifier.Set.IsEmpty ? null : modifier.Set.Select(h => Map(("name", h.Name), ("value", h.Value))).ToList()),
        ("add", modifier.Add.IsEmpty ? null : modifier.Add.Select(h => Map(("name", h.Name), ("value", h.Value))).ToList()),
        ("remove", modifier.Remove.IsEmpty ? null : modifier.Remove.ToList()));

    private static SortedDictionary<string, object?>? PathModifier(HttpPathModifier? path) => path is null ? null : Map(
        ("type", path.Type), ("replaceFullPath", path.ReplaceFullPath), ("replacePrefixMatch", path.ReplacePrefixMatch));

    /// <summary>A map with kubectl's key order; null values are left out, as the API server omits empty optional fields.</summary>
    internal static SortedDictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }
}
