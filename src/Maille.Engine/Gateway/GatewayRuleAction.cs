using Maille.Model;

namespace Maille.Engine.Gateways;

/// <summary>What a matched rule does: its filters, its backends (resolved), its timeouts, or the status it answers itself.</summary>
internal sealed record GatewayRuleAction
{
    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];

    public IReadOnlyList<GatewayBackend> Backends { get; init; } = [];

    /// <summary>Set when the rule cannot forward at all (no backendRefs, a filter Maille does not implement): the status and why.</summary>
    public (int Status, string Reason)? Refusal { get; init; }

    public TimeSpan? RequestTimeout { get; init; }

    public TimeSpan? BackendRequestTimeout { get; init; }

    /// <summary>The rule's <c>retry</c> (HTTPRoute only), carried out by the proxy; null: no retry.</summary>
    public HttpRouteRetry? Retry { get; init; }

    public HttpRequestRedirect? Redirect => Filters.FirstOrDefault(f => f.Type == "RequestRedirect")?.RequestRedirect;

    public HttpUrlRewrite? Rewrite => Filters.FirstOrDefault(f => f.Type == "URLRewrite")?.UrlRewrite;

    /// <summary>The filter types Maille's Gateway carries out (on a rule or a backendRef); ExtensionRef and CORS are not.</summary>
    public static bool IsSupported(string type) => type is "RequestHeaderModifier" or "ResponseHeaderModifier" or "RequestRedirect" or "URLRewrite" or "RequestMirror";
}
