namespace Maille.Engine.Gateways;

/// <summary>
/// A resolved backendRef: the Service and port, its weight, and what a request sent to it gets: 200 when it has a ready
/// endpoint, 503 when none is ready, 500 when the reference is invalid (not found, wrong kind, not permitted).
/// </summary>
public sealed record GatewayBackend(string Service, int Port, int Weight, int Status, string Reason, int ReadyEndpoints)
{
    /// <summary>The route condition reason when the reference does not resolve (null when it does).</summary>
    public string? RefProblem { get; init; }

    /// <summary>
    /// The backendRef's own filters, applied only when a request is sent to this backend, after the rule's (the
    /// specification leaves their support to implementations; Maille applies the same five types as on a rule).
    /// </summary>
    public IReadOnlyList<Model.HttpRouteFilter> Filters { get; init; } = [];

    public Model.HttpRequestRedirect? Redirect => Filters.FirstOrDefault(f => f.Type == "RequestRedirect")?.RequestRedirect;

    public Model.HttpUrlRewrite? Rewrite => Filters.FirstOrDefault(f => f.Type == "URLRewrite")?.UrlRewrite;
}
