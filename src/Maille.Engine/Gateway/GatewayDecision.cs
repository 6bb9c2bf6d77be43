using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>
/// What a Gateway's proxy does with one request: the listener that took it, the route and rule that matched (null when
/// none did), the backends with their weights, the HTTP status it answers (200 routed to a ready backend; a redirect's
/// 3xx; 404 no match; 500 invalid backend; 503 no ready endpoint), why, and the filters the proxy applies.
/// </summary>
public sealed record GatewayDecision
{
    public required string Gateway { get; init; }

    public string? Listener { get; init; }

    public string? RouteKind { get; init; }

    public string? Route { get; init; }

    public int? Rule { get; init; }

    public IReadOnlyList<GatewayBackend> Backends { get; init; } = [];

    /// <summary>The backend the request was sent to (drawn by weight); null when it was not forwarded.</summary>
    public GatewayBackend? Backend { get; init; }

    public required int Status { get; init; }

    public required string Reason { get; init; }

    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];

    /// <summary>The redirect's Location when a RequestRedirect filter answers the request.</summary>
    public string? Location { get; init; }

    /// <summary>The path the backend receives when a URLRewrite changes it; null otherwise (the request's own path is forwarded).</summary>
    public string? BackendPath { get; init; }

    /// <summary>The Host the backend receives when a URLRewrite changes it; null otherwise.</summary>
    public string? BackendHost { get; init; }

    public TimeSpan? RequestTimeout { get; init; }

    public TimeSpan? BackendRequestTimeout { get; init; }

    /// <summary>The matched rule's <c>retry</c>: which answers the proxy sends again, how many times; null: none.</summary>
    public HttpRouteRetry? Retry { get; init; }
}
