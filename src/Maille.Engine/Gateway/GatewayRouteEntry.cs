using System.Text.RegularExpressions;
using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// One match of one rule of a route attached to a listener, under one of the hostnames the route and listener share:
/// the unit the route table orders by <see cref="GatewayPrecedence"/> and tries in turn. Immutable.
/// </summary>
internal sealed class GatewayRouteEntry
{
    public required string RouteKind { get; init; }

    public required string Route { get; init; }

    public DateTimeOffset? Created { get; init; }

    public required int RuleIndex { get; init; }

    public required int MatchIndex { get; init; }

    /// <summary>The hostname shared by the route and the listener (<c>*</c> for any).</summary>
    public required string Hostname { get; init; }

    public string PathType { get; init; } = "PathPrefix";

    public string PathValue { get; init; } = "/";

    public Regex? PathRegex { get; init; }

    public string? Method { get; init; }

    public IReadOnlyList<CompiledValueMatch> Headers { get; init; } = [];

    public IReadOnlyList<CompiledValueMatch> QueryParams { get; init; } = [];

    /// <summary>gRPC: the service and method matched (null matches any), exactly or by <see cref="GrpcRegex"/>.</summary>
    public string? GrpcService { get; init; }

    public string? GrpcMethod { get; init; }

    public Regex? GrpcRegex { get; init; }

    public required GatewayRuleAction Action { get; init; }

    /// <summary>
    /// What this match answers whatever the request that met it (one decision per backend, the draw picking among them;
    /// one for a refusal or when every weight is 0), made once by the <see cref="GatewayRouteTable"/> that holds it, so a
    /// routed request allocates nothing. Null when the answer depends on the request: a redirect's Location, a
    /// URLRewrite's path.
    /// </summary>
    internal GatewayDecision[]? Prepared { get; set; }

    /// <summary>The match as a decision's reason names it: <c>HTTPRoute ns/name rule N</c>.</summary>
    internal string Where => $"{RouteKind} {Route} rule {RuleIndex}";

    /// <summary>Prefix length as the precedence counts it: the value's characters (a trailing slash aside).</summary>
    public int PrefixLength => PathType == "PathPrefix" ? PathValue.TrimEnd('/').Length : 0;

    /// <summary>True when the request (its host already matched) meets every condition of this match.</summary>
    public bool Matches(GatewayRequest request)
    {
        if (RouteKind == GatewayApi.GrpcRouteKind)
        {
            if (!MatchesGrpcMethod(request.Path))
            {
                return false;
            }
        }
        else
        {
            if (!MatchesPath(request.Path) || (Method is not null && Method != request.Method))
            {
                return false;
            }

            // By index, here and below: a foreach over the interface would box its enumerator on every request tried.
            for (var i = 0; i < QueryParams.Count; i++)
            {
                if (!QueryParams[i].Matches(request.QueryParam(QueryParams[i].Name)))
                {
                    return false;
                }
            }
        }

        for (var i = 0; i < Headers.Count; i++)
        {
            if (!Headers[i].Matches(request.Header(Headers[i].Name)))
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchesPath(string path) => PathType switch
    {
        "Exact" => path == PathValue,
        "PathPrefix" => PrefixMatches(PathValue, path),
        "RegularExpression" => PathRegex!.IsMatch(path),
        _ => false,
    };

    /// <summary>PathPrefix on whole path elements: <c>/foo</c> matches <c>/foo</c>, <c>/foo/</c> and <c>/foo/bar</c>, not <c>/foobar</c>; a trailing slash in the prefix is ignored.</summary>
    internal static bool PrefixMatches(string prefix, string path)
    {
        var trimmed = prefix.AsSpan().TrimEnd('/');
        return trimmed.Length == 0
            || (path.AsSpan().StartsWith(trimmed, StringComparison.Ordinal) && (path.Length == trimmed.Length || path[trimmed.Length] == '/'));
    }

    /// <summary>gRPC's path is <c>/package.Service/Method</c>.</summary>
    private bool MatchesGrpcMethod(string path)
    {
        if (GrpcService is null && GrpcMethod is null && GrpcRegex is null)
        {
            return true;
        }

        var slash = path.IndexOf('/', 1);
        if (!path.StartsWith('/') || slash < 0)
        {
            return false;
        }

        var service = path[1..slash];
        var method = path[(slash + 1)..];
        if (GrpcRegex is not null)
        {
            return GrpcRegex.IsMatch($"{service}/{method}");
        }

        return (GrpcService is null || GrpcService == service) && (GrpcMethod is null || GrpcMethod == method);
    }
}
