namespace Maille.Model;

/// <summary>A route filter; exactly the field its <see cref="Type"/> names is set (validation checks).</summary>
public sealed record HttpRouteFilter
{
    public required string Type { get; init; }

    public HttpHeaderModifier? RequestHeaderModifier { get; init; }

    public HttpHeaderModifier? ResponseHeaderModifier { get; init; }

    public HttpRequestRedirect? RequestRedirect { get; init; }

    public HttpUrlRewrite? UrlRewrite { get; init; }

    public HttpRequestMirror? RequestMirror { get; init; }

    /// <summary>True when the input set a field of a type Maille has no model for (CORS, ExtensionRef).</summary>
    public bool HasUnmodelledField { get; init; }
}
