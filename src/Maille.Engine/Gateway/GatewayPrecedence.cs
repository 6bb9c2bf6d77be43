using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// The order in which matches win, as the Gateway API specifies, continuing on ties: the hostname (more characters of
/// a non-wildcard hostname, then more characters of any); for HTTPRoute an Exact path, then the longest PathPrefix,
/// then a method match, more header matches, more query-parameter matches; for GRPCRoute more characters of the
/// service, of the method, then more header matches; then the oldest route (by <c>creationTimestamp</c>; one without
/// sorts after those with), then <c>namespace/name</c>, then the rule's and the match's order within the route.
/// </summary>
internal sealed class GatewayPrecedence : IComparer<GatewayRouteEntry>
{
    public static GatewayPrecedence Instance { get; } = new();

    public int Compare(GatewayRouteEntry? x, GatewayRouteEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        var (xExact, xAny) = GatewayHostnames.Specificity(x.Hostname);
        var (yExact, yAny) = GatewayHostnames.Specificity(y.Hostname);
        var c = yExact.CompareTo(xExact);
        c = c != 0 ? c : yAny.CompareTo(xAny);
        if (c != 0)
        {
            return c;
        }

        c = x.RouteKind == GatewayApi.GrpcRouteKind && y.RouteKind == GatewayApi.GrpcRouteKind ? CompareGrpc(x, y) : CompareHttp(x, y);
        if (c != 0)
        {
            return c;
        }

        var (a, b) = (x.Created, y.Created);
        if (a != b)
        {
            return a is null ? 1 : b is null ? -1 : a.Value.CompareTo(b.Value);
        }

        c = string.CompareOrdinal(x.Route, y.Route);
        c = c != 0 ? c : x.RuleIndex.CompareTo(y.RuleIndex);
        return c != 0 ? c : x.MatchIndex.CompareTo(y.MatchIndex);
    }

    private static int CompareHttp(GatewayRouteEntry x, GatewayRouteEntry y)
    {
        var c = (y.PathType == "Exact").CompareTo(x.PathType == "Exact");
        c = c != 0 ? c : y.PrefixLength.CompareTo(x.PrefixLength);
        c = c != 0 ? c : (y.Method is not null).CompareTo(x.Method is not null);
        c = c != 0 ? c : y.Headers.Count.CompareTo(x.Headers.Count);
        return c != 0 ? c : y.QueryParams.Count.CompareTo(x.QueryParams.Count);
    }

    private static int CompareGrpc(GatewayRouteEntry x, GatewayRouteEntry y)
    {
        var c = (y.GrpcService?.Length ?? 0).CompareTo(x.GrpcService?.Length ?? 0);
        c = c != 0 ? c : (y.GrpcMethod?.Length ?? 0).CompareTo(x.GrpcMethod?.Length ?? 0);
        return c != 0 ? c : y.Headers.Count.CompareTo(x.Headers.Count);
    }
}
